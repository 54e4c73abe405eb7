import { describe, expect, it } from 'vitest'
import { Attempt } from '../../src/main/jobs/attempt'
import type { Outcome } from '../../src/main/jobs/outcome'
import type { AnyJobKind } from '../../src/main/jobs/define-job'
import type { WorkerProcess } from '../../src/main/jobs/launcher'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { JobAbort } from '../../src/main/jobs/worker/job-abort'
import { runJob } from '../../src/main/jobs/worker/run-job'
import { TrackedChildren } from '../../src/main/jobs/worker/tracked-children'

const result = { outputs: [{ path: '/out/a.webp', size: 5 }], skipped: [] }

/** One worker process that only says it is ready; the test speaks for it, and ends it (`exit`). */
async function attemptOnFakeWorker(cancelGraceMs = 60_000): Promise<{
  attempt: Attempt
  speak: (message: unknown) => void
  exit: () => void
  killed: () => boolean
}> {
  let speak: (message: unknown) => void = () => {}
  let exit: (exit: { code: number | null; signal: string | null }) => void = () => {}
  let killed = false
  let sent = false
  const pool = new WorkerPool(
    {
      launch: (): WorkerProcess => ({
        pid: 4242,
        send: () => (sent = true),
        onMessage: (listener) => {
          speak = listener
          listener({ t: 'ready', pid: 4242 })
        },
        onExit: (listener) => (exit = listener),
        onOutput: () => {},
        kill: () => (killed = true),
      }),
    },
    { launch: {}, limits: { maxMessagesPerSecond: 1e9 }, maxWorkers: 1, depth: 2, idleMs: 60_000, stallMs: 50 },
  )
  const attempt = new Attempt(
    pool.acquire(),
    { jobId: '1', attempt: 1, kind: 'image.convert', input: null, cancelGraceMs, watchdogMs: 60_000 },
    {
      started: () => {},
      sent: () => {},
      progress: () => {},
      logLine: () => {},
      // Recorded at once.
      placing: (_files, recorded) => recorded(),
    },
  )
  // The job is in the worker's hands once its `run` message has left.
  while (!sent) await new Promise((resolve) => setImmediate(resolve))
  return {
    attempt,
    speak: (message) => speak(message),
    exit: () => exit({ code: null, signal: 'SIGKILL' }),
    killed: () => killed,
  }
}

const placing = { t: 'placing', jobId: '1', files: [{ dev: 1, ino: 2, size: 3, mtimeMs: 4 }] }

describe('a cancel that comes too late to stop the work', () => {
  it('leaves a job whose handler returned recorded as succeeded, with its outputs', async () => {
    const { attempt, speak } = await attemptOnFakeWorker()
    speak({ t: 'started', jobId: '1' })
    attempt.cancel()
    speak({ t: 'succeeded', jobId: '1', result, ms: 12.5 })
    expect(await attempt.outcome).toEqual<Outcome>({ state: 'succeeded', result, ms: 12.5 })
  })

  it('still ends a job that failed after the cancel as cancelled: the failure is the cancel taking effect', async () => {
    const { attempt, speak } = await attemptOnFakeWorker()
    speak({ t: 'started', jobId: '1' })
    attempt.cancel()
    const error = { code: 'HANDLER_ERROR', message: 'This operation was aborted' }
    speak({ t: 'failed', jobId: '1', error, ms: 3 })
    expect(await attempt.outcome).toEqual<Outcome>({ state: 'cancelled' })
  })

  it('leaves a job placing its outputs to finish or stop by itself: its worker is not killed after the grace period', async () => {
    const { attempt, speak, killed } = await attemptOnFakeWorker(20)
    speak({ t: 'started', jobId: '1' })
    speak(placing)
    attempt.cancel()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(killed()).toBe(false)
    speak({ t: 'succeeded', jobId: '1', result, ms: 4 })
    expect(await attempt.outcome).toEqual<Outcome>({ state: 'succeeded', result, ms: 4 })
  })

  it('does not kill a job whose cancel crossed its word that it places its outputs', async () => {
    const { attempt, speak, killed } = await attemptOnFakeWorker(20)
    speak({ t: 'started', jobId: '1' })
    attempt.cancel()
    speak(placing)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(killed()).toBe(false)
    speak({ t: 'cancelled', jobId: '1' })
    expect(await attempt.outcome).toEqual<Outcome>({ state: 'cancelled' })
  })

  it('does not report a job cancelled whose worker died while it placed its outputs: some may be in place', async () => {
    const { attempt, speak, exit } = await attemptOnFakeWorker()
    speak({ t: 'started', jobId: '1' })
    speak(placing)
    attempt.cancel()
    exit()
    expect(await attempt.outcome).toMatchObject({ state: 'failed', error: { code: 'WORKER_CRASHED' } })
  })

  it('in the worker: a handler that returns after its signal fired reports success; one that throws, a cancel', async () => {
    const run = async (finish: (signal: AbortSignal) => unknown) => {
      const abort = new JobAbort()
      const posted: unknown[] = []
      let cancelled: () => void = () => {}
      const kind = {
        kind: 'test.late',
        run: async (_input: unknown, ctx: { signal: AbortSignal }) => {
          await new Promise<void>((resolve) => (cancelled = resolve))
          return finish(ctx.signal)
        },
      } as unknown as AnyJobKind
      const message = { t: 'run', jobId: '7', attempt: 1, kind: 'test.late', input: null } as const
      const running = runJob(message, kind, abort, new TrackedChildren(() => {}), (m) => posted.push(m))
      abort.abort(new Error('Cancelled'))
      cancelled()
      await running
      return posted
    }
    expect(await run(() => result)).toEqual([{ t: 'succeeded', jobId: '7', result, ms: expect.any(Number) }])
    expect(await run((signal) => signal.throwIfAborted())).toEqual([{ t: 'cancelled', jobId: '7' }])
  })
})
