import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { openSpool } from '../src/main/jobs'

/**
 * The main process's event-loop delay (p99, ms) while `workers` jobs each report `ratePerSecond` progress
 * messages for `seconds`, with `windows` subscribers serialising every batch as a window's IPC would.
 */
export async function eventLoopUnderProgress(options: {
  workers: number
  ratePerSecond: number
  seconds: number
  windows: number
}): Promise<{ p99Ms: number; maxMs: number; batches: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-'))
  const spool = await openSpool({ dataDir, concurrency: options.workers, diagnostics: true })
  try {
    await Promise.all((await spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])).map((id) => spool.wait(id)))
    let batches = 0
    for (let w = 0; w < options.windows; w++) {
      spool.subscribe((batch) => {
        batches++
        JSON.stringify(batch)
      })
    }
    const ms = options.seconds * 1000
    const steps = options.ratePerSecond * options.seconds
    const ids = await spool.submit(
      Array.from({ length: options.workers }, () => ({ kind: 'debug.sleep', input: { ms, steps } })),
    )
    const histogram = monitorEventLoopDelay({ resolution: 1 })
    histogram.enable()
    await Promise.all(ids.map((id) => spool.wait(id)))
    histogram.disable()
    return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6, batches: batches / options.windows }
  } finally {
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
