import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WorkerProcess } from '../../src/main/jobs/launcher'
import { PooledWorker } from '../../src/main/jobs/pooled-worker'

/**
 * A worker process the test speaks for, taking jobs like an attempt hands them over; `startedSilently` records
 * which job the host took to run without its word, and after how long.
 */
function fakeWorker({ ready = true } = {}) {
  let speak!: (message: unknown) => void
  const process: WorkerProcess = {
    pid: undefined,
    send: () => {},
    onMessage: (listener) => (speak = listener),
    onExit: () => {},
    onOutput: () => {},
    kill: () => {},
  }
  const worker = new PooledWorker({ launch: () => process }, {}, { maxMessagesPerSecond: 1e9 })
  worker.lowWater = 8
  if (ready) speak({ t: 'ready', pid: 1 })
  const silent: [string, number][] = []
  const hand = (jobId: string) => {
    worker.listen(jobId, {
      message: (message) => {
        if (message.t === 'succeeded') worker.unlisten(jobId)
      },
      broken: () => {},
      exit: () => {},
      startedSilently: (silentMs) => silent.push([jobId, silentMs]),
    })
    worker.send({ t: 'run', jobId, attempt: 1, kind: 'k', input: null })
  }
  return { worker, speak, hand, silent }
}

describe('a job that starts without a word', () => {
  beforeEach(
    () => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'], now: 0 }),
  )
  afterEach(() => void vi.useRealTimers())

  it('is taken to run once its worker has been silent with it for half a second, counted from when it left', () => {
    const { worker, hand, silent } = fakeWorker()
    hand('1')
    vi.advanceTimersByTime(499)
    expect(silent).toEqual([])
    vi.advanceTimersByTime(2)
    expect(silent).toEqual([['1', 500]])
    expect(worker.runningFor(performance.now())).toBe(501)
    // Once is enough: the worker's word, if it comes, adds nothing.
    vi.advanceTimersByTime(5000)
    expect(silent).toHaveLength(1)
  })

  it('is not, when its worker says it started in time', () => {
    const { speak, hand, silent } = fakeWorker()
    hand('1')
    vi.advanceTimersByTime(300)
    speak({ t: 'started', jobId: '1' })
    vi.advanceTimersByTime(5000)
    expect(silent).toEqual([])
  })

  it('waiting behind another, counts the silence from the moment that one ended', () => {
    const { speak, hand, silent } = fakeWorker()
    hand('1')
    hand('2')
    speak({ t: 'started', jobId: '1' })
    // The job before runs long and quietly: the one behind it waits, it does not run.
    vi.advanceTimersByTime(3000)
    expect(silent).toEqual([])
    speak({ t: 'succeeded', jobId: '1', result: null, ms: 3000 })
    vi.advanceTimersByTime(499)
    expect(silent).toEqual([])
    vi.advanceTimersByTime(2)
    expect(silent.map(([jobId]) => jobId)).toEqual(['2'])
  })

  it('is not while its worker is still starting, before its job could leave', () => {
    const { worker, speak, silent } = fakeWorker({ ready: false })
    // As an attempt hands a job to a worker still starting: it listens at once, and sends once the worker is up.
    worker.listen('1', {
      message: () => {},
      broken: () => {},
      exit: () => {},
      startedSilently: (ms) => silent.push(['1', ms]),
    })
    vi.advanceTimersByTime(5000)
    expect(silent).toEqual([])
    speak({ t: 'ready', pid: 1 })
    worker.send({ t: 'run', jobId: '1', attempt: 1, kind: 'k', input: null })
    vi.advanceTimersByTime(499)
    expect(silent).toEqual([])
    vi.advanceTimersByTime(2)
    expect(silent.map(([jobId]) => jobId)).toEqual(['1'])
  })
})
