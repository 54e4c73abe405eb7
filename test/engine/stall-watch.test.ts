import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Attempt } from '../../src/main/jobs/attempt'
import type { PooledWorker } from '../../src/main/jobs/pooled-worker'
import { StallWatch } from '../../src/main/jobs/stall-watch'
import type { WorkerPool } from '../../src/main/jobs/worker-pool'

const minMs = 50

/**
 * One worker whose job started at 0 and counts as long after `stallAfterMs`, with a job waiting behind it;
 * `elsewhere`: whether another worker could run that job sooner.
 */
function waitingBehindOne(stallAfterMs: number, elsewhere: boolean) {
  const worker = { runningFor: (now: number) => now } as PooledWorker
  const looks = { count: 0 }
  const pool = {
    stalledIn: (_: PooledWorker, now: number) => {
      looks.count++
      return stallAfterMs - worker.runningFor(now)
    },
    hasUnstalled: () => elsewhere,
  } as unknown as WorkerPool
  const unqueue = vi.fn()
  const attempt = { worker, unqueue, waitingInWorker: true } as unknown as Attempt
  const onLong = vi.fn()
  const watch = new StallWatch({ pool, minMs, attempts: () => [attempt], onLong })
  return { watch, unqueue, onLong, looks }
}

describe('stall watch', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'], now: 0 }))
  afterEach(() => void vi.useRealTimers())

  it('takes back a job waiting behind one that turns long just after it does, not a look later', () => {
    const { watch, unqueue, onLong } = waitingBehindOne(60, true)
    watch.watch()
    vi.advanceTimersByTime(60)
    expect(unqueue).not.toHaveBeenCalled()
    vi.advanceTimersByTime(2)
    expect(unqueue).toHaveBeenCalledTimes(1)
    expect(onLong).toHaveBeenCalledTimes(1)
    watch.stop()
  })

  it('while every worker is busy with a long job, looks again only every so often', () => {
    const { watch, unqueue, looks } = waitingBehindOne(60, false)
    watch.watch()
    vi.advanceTimersByTime(1060)
    expect(unqueue).not.toHaveBeenCalled()
    // A look at 50 ms, one as the job turns long at 61, then one each 50 ms.
    expect(looks.count).toBeGreaterThanOrEqual(20)
    expect(looks.count).toBeLessThanOrEqual(22)
    watch.stop()
  })
})
