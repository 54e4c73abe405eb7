import { wallClock } from './bench-kinds'
import { withBenchSpool, warmUp } from './bench-spool'
import { subscribeWindows } from './fake-windows'

/**
 * Milliseconds from a handler's `ctx.progress` call (stamped in the worker) to the report arriving at the
 * last of three subscribed windows, for every report that arrived. `jobs` jobs report at once, each every
 * `everyMs` (off the 16 ms frame on purpose, so reports land at every phase of it).
 */
export async function progressLatency(options: { jobs: number; reports: number; everyMs: number }): Promise<number[]> {
  return withBenchSpool({ concurrency: options.jobs }, async (spool) => {
    await warmUp(spool, options.jobs * 2)
    const samples: number[] = []
    const windows = 3
    const { unsubscribe } = subscribeWindows(spool, windows, (batch, window) => {
      if (window !== windows - 1) return
      const now = wallClock()
      for (const event of batch.events) {
        if (event.type === 'progress' && event.progress.message) samples.push(now - Number(event.progress.message))
      }
    })
    const ids = await spool.submit(
      Array.from({ length: options.jobs }, () => ({
        kind: 'bench.progress-stamps',
        input: { reports: options.reports, everyMs: options.everyMs },
      })),
    )
    await Promise.all(ids.map((id) => spool.wait(id)))
    unsubscribe()
    return samples
  })
}
