import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Scheduler } from '../../src/main/jobs/scheduler'

// The wall clock (Date) is moved by hand, as the system, a user or a sleep moves it; timers and
// performance.now() count monotonic time, which only `advance` moves.
const hour = 3_600_000
const day = 24 * hour

describe('delayed jobs when the system clock jumps', () => {
  let started: string[]
  let scheduler: Scheduler
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms)
  const setClock = (ms: number) => vi.setSystemTime(Date.now() + ms)

  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date', 'performance'],
    })
    vi.setSystemTime(new Date('2026-03-29T00:30:00Z'))
    started = []
    scheduler = new Scheduler({
      concurrency: 4,
      depth: 1,
      run: async (id) => void started.push(id),
      onError: (error) => {
        throw error
      },
    })
  })
  afterEach(() => {
    scheduler.stop()
    vi.useRealTimers()
  })

  it('a retry delayed 5 s still starts 5 s later when the clock is set back an hour, not an hour later', async () => {
    scheduler.enqueue('1', 0, Date.now() + 5_000)
    scheduler.enqueue('2', 0, Date.now() + 10_000)
    setClock(-hour)
    await advance(4_000)
    expect(started).toEqual([])
    await advance(1_000)
    expect(started).toEqual(['1'])
    await advance(5_000)
    expect(started).toEqual(['1', '2'])
  })

  it('jobs whose time a clock set ahead a day (or a sleep) passed start within a second; later ones wait their time', async () => {
    scheduler.enqueue('1', 0, Date.now() + hour)
    scheduler.enqueue('2', 0, Date.now() + 2 * hour)
    scheduler.enqueue('3', 0, Date.now() + day + hour)
    setClock(day)
    await advance(1_000)
    expect(started).toEqual(['1', '2'])
    await advance(hour - 2_000)
    expect(started).toEqual(['1', '2'])
    await advance(1_000)
    expect(started).toEqual(['1', '2', '3'])
  })
})
