import { describe, expect, it } from 'vitest'
import type { WorkerProcess } from '../../src/main/jobs/launcher'
import type { PooledWorker } from '../../src/main/jobs/pooled-worker'
import { WorkerPool } from '../../src/main/jobs/worker-pool'

describe('worker pool', () => {
  /** Worker processes that only say they are ready; the test speaks for them. */
  function fakePool(depth: number, maxMessagesPerSecond = 1e9) {
    const speak: ((message: unknown) => void)[] = []
    /** What each worker was sent, one entry per port message. */
    const sent: unknown[][] = []
    let pid = 1000
    const pool = new WorkerPool(
      {
        launch: (): WorkerProcess => ({
          pid: pid++,
          send: ((inbox: unknown[]) => {
            sent.push(inbox)
            return (message: unknown) => inbox.push(message)
          })([]),
          onMessage: (listener) => {
            speak.push(listener)
            listener({ t: 'ready', pid })
          },
          onExit: () => {},
          onOutput: () => {},
          kill: () => {},
        }),
      },
      { launch: {}, limits: { maxMessagesPerSecond }, maxWorkers: 2, depth, idleMs: 60_000, stallMs: 50 },
    )
    const hand = (worker: PooledWorker, jobId: string) =>
      worker.listen(jobId, { message: () => {}, broken: () => {}, exit: () => {}, startedSilently: () => {} })
    return { pool, speak, sent, hand }
  }

  const run = (jobId: string) => ({ t: 'run', jobId, attempt: 1, kind: 'k', input: null }) as const
  const turn = () => new Promise((resolve) => setImmediate(resolve))
  const ids = (message: unknown) => (Array.isArray(message) ? message : [message]).map((m) => `${m.t} ${m.jobId}`)

  it('holds jobs back while a worker has more than half its depth, then sends them together; a held job can be taken back', async () => {
    const { pool, sent, hand } = fakePool(8)
    const worker = pool.acquire()
    for (const id of ['1', '2', '3', '4', '5', '6']) {
      hand(worker, id)
      worker.send(run(id))
    }
    await turn()
    expect(sent[0]!.map(ids)).toEqual([['run 1', 'run 2', 'run 3', 'run 4', 'run 5', 'run 6']])
    for (const id of ['7', '8', '9']) {
      hand(worker, id)
      worker.send(run(id))
    }
    await turn()
    // Six in the worker, more than 8 / 2: the next ones wait.
    expect(sent[0]).toHaveLength(1)
    expect(worker.withdraw('8')).toBe(true)
    expect(worker.withdraw('8')).toBe(false)
    worker.unlisten('8')
    worker.unlisten('1')
    await turn()
    expect(sent[0]).toHaveLength(1)
    worker.unlisten('2')
    await turn()
    expect(sent[0]!.map(ids)).toEqual([
      ['run 1', 'run 2', 'run 3', 'run 4', 'run 5', 'run 6'],
      ['run 7', 'run 9'],
    ])
    // Anything but a job to run leaves at once, taking what waited with it, in order.
    hand(worker, '10')
    worker.send(run('10'))
    worker.send({ t: 'cancel', jobId: '3' })
    await turn()
    expect(sent[0]!.slice(2).map(ids)).toEqual([['run 10', 'cancel 3']])
    pool.close()
  })

  it.each([
    ['a job it holds starting again', (jobId: string) => ({ t: 'started', jobId })],
    ['progress', (jobId: string) => ({ t: 'progress', jobId, progress: { done: 1 } })],
  ])(
    'takes any number of jobs starting and ending as no flood, but kills a worker sending more of %s than its limit',
    (_, flood) => {
      const { pool, speak } = fakePool(2, 100)
      const worker = pool.acquire()
      let heard = 0
      const hold = (jobId: string) =>
        worker.listen(jobId, {
          message: (message) => {
            heard++
            // As an attempt does: a job that ended is no longer held.
            if (message.t === 'succeeded') worker.unlisten(jobId)
          },
          broken: () => {},
          exit: () => {},
          startedSilently: () => {},
        })
      // Jobs of microseconds: 600 messages at once, six times the limit, each the first start or the end of a
      // job the worker holds.
      for (let i = 1; i <= 300; i++) hold(String(i))
      for (let i = 1; i <= 300; i++)
        speak[0]!([
          { t: 'started', jobId: String(i) },
          { t: 'succeeded', jobId: String(i), result: null, ms: 0.01 },
        ])
      expect(heard).toBe(600)
      expect(worker.exited).toBe(false)
      hold('x')
      speak[0]!({ t: 'started', jobId: 'x' })
      // Within at most two seconds of the clock: one of them holds more than 100.
      speak[0]!(Array.from({ length: 250 }, () => flood('x')))
      expect(worker.exited).toBe(true)
      pool.close()
    },
  )

  it('gives no job to a worker busy with a long one while another can take it, even past its depth', async () => {
    const { pool, speak, hand } = fakePool(2)
    const other = pool.acquire()
    hand(other, '1')
    const busy = pool.acquire()
    expect(busy).not.toBe(other)
    hand(busy, '2')
    speak[0]!({ t: 'started', jobId: '1' })
    speak[1]!({ t: 'started', jobId: '2' })
    await new Promise((resolve) => setTimeout(resolve, 80))
    speak[0]!({ t: 'succeeded', jobId: '1', result: null, ms: 1 })
    other.unlisten('1')
    // Job 2 has run 80 ms: the other worker takes everything, beyond its depth of 2.
    for (const id of ['3', '4', '5']) {
      const worker = pool.acquire()
      expect(worker).toBe(other)
      hand(worker, id)
    }
    expect(pool.hasUnstalled(performance.now())).toBe(true)
    pool.close()
  })

  it('takes a job for a long one only once it has run several times as long as jobs typically take', async () => {
    const { pool, speak, hand } = fakePool(2)
    const first = pool.acquire()
    hand(first, '1')
    const second = pool.acquire()
    hand(second, '2')
    speak[0]!({ t: 'started', jobId: '1' })
    speak[1]!({ t: 'started', jobId: '2' })
    // Jobs of about 200 ms each (photos, say): one that has run 80 ms is not a long one, so the next job waits
    // its turn in the worker instead of a round trip after it; one that has run over 800 ms is.
    pool.typicalJobMs = 200
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(pool.stalled(first, performance.now())).toBe(false)
    expect(pool.acquire()).toBe(first)
    expect(pool.stalled(first, performance.now() + 800)).toBe(true)
    // However long jobs typically take, a job behind one still moves within a second; never sooner than 50 ms.
    pool.typicalJobMs = 10 * 60_000
    expect(pool.stalled(first, performance.now() + 1_100)).toBe(true)
    pool.typicalJobMs = 1
    expect(pool.stalled(second, performance.now())).toBe(true)
    pool.close()
  })
})
