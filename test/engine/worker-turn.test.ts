import { describe, expect, it } from 'vitest'
import type { WorkerExit, WorkerProcess } from '../../src/main/jobs/launcher'
import { PooledWorker } from '../../src/main/jobs/pooled-worker'

/** A worker process the test speaks for, and how each job it holds hears of its death. */
function fakeWorker() {
  let speak!: (message: unknown) => void
  let exit!: (exit: WorkerExit) => void
  const process: WorkerProcess = {
    // No pid: killing it must not reach any real process.
    pid: undefined,
    send: () => {},
    onMessage: (listener) => (speak = listener),
    onExit: (listener) => (exit = listener),
    onOutput: () => {},
    kill: () => exit({ code: null, signal: 'SIGKILL' }),
  }
  const worker = new PooledWorker({ launch: () => process }, {}, { maxMessagesPerSecond: 1e9 })
  speak({ t: 'ready', pid: 1 })
  const heard = new Map<string, Promise<boolean>>()
  const hand = (jobId: string) =>
    heard.set(
      jobId,
      new Promise((resolve) =>
        worker.listen(jobId, {
          message: () => {},
          broken: (_reason, wasRunning) => resolve(wasRunning),
          exit: (_exit, wasRunning) => resolve(wasRunning),
          startedSilently: () => {},
        }),
      ),
    )
  const placing = (jobId: string) => ({ t: 'placing', jobId, files: [] })
  return { worker, speak, exit, hand, heard, placing }
}

describe("a worker's turn", () => {
  it('passes to the next job once a job places its outputs: a death then is the next job’s', async () => {
    const { worker, speak, exit, hand, heard, placing } = fakeWorker()
    hand('1')
    hand('2')
    speak({ t: 'started', jobId: '1' })
    expect(worker.isHead('1')).toBe(true)
    speak(placing('1'))
    expect(worker.isHead('2')).toBe(true)
    speak({ t: 'started', jobId: '2' })
    exit({ code: null, signal: 'SIGSEGV' })
    expect(await heard.get('1')).toBe(false)
    expect(await heard.get('2')).toBe(true)
  })

  it('stays with a job placing its outputs when no other job is there to take it', async () => {
    const { worker, speak, exit, hand, heard, placing } = fakeWorker()
    hand('1')
    speak({ t: 'started', jobId: '1' })
    speak(placing('1'))
    expect(worker.isHead('1')).toBe(true)
    exit({ code: 0, signal: null })
    expect(await heard.get('1')).toBe(true)
  })

  it('a worker killed for one job (its cancel or watchdog) dies of that job, not of the one holding the turn', async () => {
    const { worker, speak, hand, heard, placing } = fakeWorker()
    hand('1')
    hand('2')
    speak({ t: 'started', jobId: '1' })
    speak(placing('1'))
    speak({ t: 'started', jobId: '2' })
    worker.kill('1')
    expect(await heard.get('1')).toBe(true)
    expect(await heard.get('2')).toBe(false)
  })

  it('a worker that breaks the protocol breaks it in the turn of the job that holds it', async () => {
    const { speak, hand, heard, placing } = fakeWorker()
    hand('1')
    hand('2')
    speak({ t: 'started', jobId: '1' })
    speak(placing('1'))
    speak({ t: 'started', jobId: '2' })
    speak({ t: 'nonsense' })
    expect(await heard.get('1')).toBe(false)
    expect(await heard.get('2')).toBe(true)
  })

  it('is no job’s when the worker dies of an error it could not tell whose: every job it held runs again', async () => {
    const { worker, speak, exit, hand, heard } = fakeWorker()
    hand('1')
    hand('2')
    speak({ t: 'started', jobId: '1' })
    speak({ t: 'fatal' })
    exit({ code: 1, signal: null })
    expect(await heard.get('1')).toBe(false)
    expect(await heard.get('2')).toBe(false)
    expect(worker.exited).toBe(true)
  })

  it('is the job’s the worker names when it dies of an error that job left, even one that has ended', async () => {
    const { speak, exit, hand, heard } = fakeWorker()
    hand('2')
    hand('3')
    speak({ t: 'started', jobId: '2' })
    speak({ t: 'fatal', jobId: '1' })
    exit({ code: 1, signal: null })
    expect(await heard.get('2')).toBe(false)
    expect(await heard.get('3')).toBe(false)
  })
})
