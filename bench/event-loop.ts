import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { benchSpoolOptions, warmUp } from './bench-spool'
import { subscribeWindows } from './fake-windows'
import { benchEngine } from './worker-build'

const floodChild = fileURLToPath(new URL('./bare-flood-child.ts', import.meta.url))

/**
 * The main process's event-loop delay (p99, ms) while `workers` jobs each report `ratePerSecond` progress
 * messages for `seconds`, with `windows` fake windows subscribed as the Electron shell subscribes them.
 */
export async function eventLoopUnderProgress(options: {
  workers: number
  ratePerSecond: number
  seconds: number
  windows: number
}): Promise<{ p99Ms: number; maxMs: number; batches: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-'))
  // The engine built, as the desktop app runs it (see `benchEngine`).
  const { openSpool } = await benchEngine()
  const spool = await openSpool(benchSpoolOptions(dataDir, { concurrency: options.workers }))
  try {
    await warmUp(spool, options.workers * 2)
    const { windows, unsubscribe } = subscribeWindows(spool, options.windows)
    const ms = options.seconds * 1000
    const steps = options.ratePerSecond * options.seconds
    const ids = await spool.submit(
      Array.from({ length: options.workers }, () => ({ kind: 'debug.sleep', input: { ms, steps } })),
    )
    const histogram = monitorEventLoopDelay({ resolution: 1 })
    histogram.enable()
    await Promise.all(ids.map((id) => spool.wait(id)))
    histogram.disable()
    unsubscribe()
    return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6, batches: windows[0]?.batches ?? 0 }
  } finally {
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** The same flood sent by bare children straight to this process, with no Spool in between. */
export async function eventLoopUnderBareFlood(options: {
  workers: number
  ratePerSecond: number
  seconds: number
}): Promise<{ p99Ms: number; maxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  const children = Array.from({ length: options.workers }, () =>
    fork(floodChild, [String(options.ratePerSecond), String(options.seconds)], {
      execArgv: ['--import', 'tsx'],
      serialization: 'json',
    }),
  )
  let received = 0
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.on('message', (message: { t: string }) => {
            if (message.t === 'done') resolve()
            else if (received++ === 0) histogram.enable()
          })
        }),
    ),
  )
  histogram.disable()
  for (const child of children) child.kill()
  return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 }
}
