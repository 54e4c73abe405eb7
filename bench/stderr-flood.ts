import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { benchSpoolOptions, warmUp } from './bench-spool'
import { benchEngine } from './worker-build'

const bareChild = fileURLToPath(new URL('./bare-stderr-child.ts', import.meta.url))

export interface FloodFigures {
  p99Ms: number
  seconds: number
  /** The main process's resident memory at its highest during the flood, above where it began, in MB. */
  rssGrowthMb: number
}

async function measured(run: () => Promise<void>): Promise<FloodFigures> {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  const rssBefore = process.memoryUsage().rss
  let rssPeak = rssBefore
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20)
  histogram.enable()
  const began = performance.now()
  await run()
  const seconds = (performance.now() - began) / 1000
  histogram.disable()
  clearInterval(sampler)
  return { p99Ms: histogram.percentile(99) / 1e6, seconds, rssGrowthMb: (rssPeak - rssBefore) / 1e6 }
}

/** The main process while one job's worker writes `mb` MiB of binary garbage to stderr. */
export async function stderrFloodThroughSpool(mb: number): Promise<FloodFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-'))
  const { openSpool } = await benchEngine()
  const spool = await openSpool(benchSpoolOptions(dataDir, { concurrency: 1 }))
  try {
    await warmUp(spool, 2)
    return await measured(async () => {
      const [id] = await spool.submit([{ kind: 'bench.stderr-flood', input: { mb } }])
      await spool.wait(id!)
    })
  } finally {
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * The same bytes from a bare child whose stderr this process reads and drops: the least any host must do.
 * Measured from its first byte, so the child's start-up (tsx) is left out.
 */
export async function stderrFloodBare(mb: number): Promise<FloodFigures> {
  const child = spawn(process.execPath, ['--import', 'tsx', bareChild, String(mb)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const closed = new Promise((resolve) => child.once('close', resolve))
  await new Promise((resolve) => child.stderr.once('data', resolve))
  child.stderr.on('data', () => {})
  return measured(async () => void (await closed))
}
