// Run by growth.ts in a fresh process (with --expose-gc): `n` no-op jobs through Spool, with this process's
// memory measured throughout, so each size's figures start from the same clean process.
import { withBenchSpool, warmUp } from './bench-spool'
import { reportToParent } from './in-child'

export interface GrowthFigure {
  jobs: number
  /** Submitting every job (queue paused): stored, scheduled, announced. */
  submitMs: number
  /** From `resume` until the last job finished. */
  runMs: number
  /** Heap in use after a full GC: open and idle, with every job queued, and once all had finished. */
  heapIdle: number
  heapQueued: number
  heapAfter: number
  /** Highest RSS and heap seen (sampled every 50 ms, garbage included). */
  peakRss: number
  peakHeap: number
}

const jobs = Number(process.argv[2])
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')
const chunk = 10_000

const figure = await withBenchSpool({}, async (spool): Promise<GrowthFigure> => {
  await warmUp(spool)
  gc()
  const heapIdle = process.memoryUsage().heapUsed
  let peakRss = 0
  let peakHeap = 0
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage()
    peakRss = Math.max(peakRss, rss)
    peakHeap = Math.max(peakHeap, heapUsed)
  }
  const sampler = setInterval(sample, 50)
  await spool.pause()
  let started = performance.now()
  let last = ''
  for (let offset = 0; offset < jobs; offset += chunk) {
    const size = Math.min(chunk, jobs - offset)
    last = (await spool.submit(Array.from({ length: size }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))).at(-1)!
  }
  await spool.snapshot()
  const submitMs = performance.now() - started
  sample()
  gc()
  const heapQueued = process.memoryUsage().heapUsed
  started = performance.now()
  await spool.resume()
  await spool.wait(last)
  for (;;) {
    const { counts } = await spool.snapshot()
    if (counts.queued + counts.running === 0) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const runMs = performance.now() - started
  clearInterval(sampler)
  sample()
  gc()
  return { jobs, submitMs, runMs, heapIdle, heapQueued, heapAfter: process.memoryUsage().heapUsed, peakRss, peakHeap }
})
await reportToParent(figure)
