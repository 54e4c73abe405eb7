import { describe, expect, it } from 'vitest'
import { useSpool } from '../support/test-spool'

describe('idle workers', () => {
  const open = useSpool()

  // Slow jobs with quick ones behind them make the pool hand waiting jobs over between workers; a worker
  // retired for idleness must never be one that holds a job.
  it('retiring idle workers never ends a running job', async () => {
    const { spool } = await open({ concurrency: 2, idleWorkerMs: 100 })
    const ids = await spool.submit(
      Array.from({ length: 180 }, (_, i) =>
        i % 6 === 0
          ? { kind: 'debug.fail', input: { mode: 'throw', afterMs: 200 + (i % 5) * 60 } }
          : { kind: 'debug.sleep', input: { ms: 5 + (i % 7) * 4, steps: 3 } },
      ),
    )
    const crashed: string[] = []
    for (const id of ids) {
      const job = await spool.wait(id)
      if (job.error?.code === 'WORKER_CRASHED') crashed.push(`${id}: ${job.error.message}`)
    }
    expect(crashed).toEqual([])
  }, 60_000)
})
