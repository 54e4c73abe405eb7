import { describe, expect, it } from 'vitest'
import { Attempt } from '../../src/main/jobs/attempt'
import type { Outcome } from '../../src/main/jobs/outcome'
import type { AnyJobKind } from '../../src/main/jobs/define-job'
import type { WorkerProcess } from '../../src/main/jobs/launcher'
import { WorkerPool } from '../../src/main/jobs/worker-pool'
import { runJob } from '../../src/main/jobs/worker/run-job'
import { TrackedChildren } from '../../src/main/jobs/worker/tracked-children'

const result = { outputs: [{ path: '/out/a.webp', size: 5 }], skipped: [] }

/** One worker process that only says it is ready; the test speaks for it. */
async function attemptOnFakeWorker(): Promise<{ attempt: Attempt; speak: (message: unknown) => void }> {
  let speak: (message: unknown) => void = () => {}
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
        onExit: () => {},
        onOutput: () => {},
        kill: () => {},
      }),
    },
    { launch: {}, limits: { maxMessagesPerSecond: 1e9 }, maxWorkers: 1, depth: 2, idleMs: 60_000, stallMs: 50 },
  )
  const attempt = new Attempt(pool.acquire(), {
    jobId: '1',
    attempt: 1,
    kind: 'image.convert',
    input: null,
    cancelGraceMs: 60_000,
    watchdogMs: 60_000,
    onStarted: () => {},
    onSent: () => {},
    onProgress: () => {},
    onLog: () => {},
  })
  // The job is in the worker's hands once its `run` message has left.
  while (!sent) await new Promise((resolve) => setImmediate(resolve))
  return { attempt, speak: (message) => speak(message) }
}

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

  it('in the worker: a handler that returns after its signal fired reports success; one that throws, a cancel', async () => {
    const run = async (finish: (signal: AbortSignal) => unknown) => {
      const controller = new AbortController()
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
      const running = runJob(message, kind, controller, new TrackedChildren(() => {}), (m) => posted.push(m))
      controller.abort(new Error('Cancelled'))
      cancelled()
      await running
      return posted
    }
    expect(await run(() => result)).toEqual([{ t: 'succeeded', jobId: '7', result, ms: expect.any(Number) }])
    expect(await run((signal) => signal.throwIfAborted())).toEqual([{ t: 'cancelled', jobId: '7' }])
  })
})
