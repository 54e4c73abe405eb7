import type { AnyJobKind } from '../define-job'
import type { PlacedFile } from '../outputs/earlier-outputs'
import { readMainMessage } from '../protocol'
import { runBelowNormalPriority } from './background-priority'
import { runJob, type RunMessage } from './run-job'
import { TrackedChildren } from './tracked-children'
import { toWorkerPort, type HostPort, type WorkerPort } from './worker-port'
import { removeOwnTempRoot } from './worker-temp'

/** Work done since the last message left after which a job's start first sends what waits. */
const flushAfterMs = 1

/** A job the worker has started and that has not ended. */
interface ActiveJob {
  jobId: string
  controller: AbortController
  children: TrackedChildren
  /** Resolves the job's wait for its outputs to be recorded, once the host says they are. */
  recorded?: () => void
}

/**
 * Serves jobs over the host's message port, one at a time. The main process may send the next job while one
 * is running (so the worker never waits for a round trip between jobs); it waits here until its turn, when
 * the worker says `started`. A waiting job can be taken back (`unqueue`) or cancelled before it starts.
 *
 * A job that records the outputs it is about to place has done its work: what is left is waiting for the disk
 * to confirm its files and moving them into place. The next job starts meanwhile, so the disk's wait is not
 * the processor's; the host knows from `placing` that the turn has passed (see `PooledWorker`).
 * The process runs below normal priority, so the app stays quick while jobs fill every core.
 */
export function serveWorker(hostPort: HostPort, kinds: readonly AnyJobKind[]): WorkerPort {
  runBelowNormalPriority()
  const port = toWorkerPort(hostPort)
  const byKind = new Map(kinds.map((kind) => [kind.kind, kind]))
  const waiting: RunMessage[] = []
  /** The job whose turn it is. */
  let current: ActiveJob | null = null
  /** Jobs that handed the turn on while their outputs are put in place. */
  const placing = new Map<string, ActiveJob>()

  const active = (jobId: string): ActiveJob | undefined => (current?.jobId === jobId ? current : placing.get(jobId))

  /**
   * Tells the host which files the job is about to place, hands the turn to the next job, and waits until the
   * files are recorded (or a cancel).
   */
  function recordOutputs(job: ActiveJob, files: readonly PlacedFile[]): Promise<void> {
    const { signal } = job.controller
    return new Promise<void>((resolve, reject) => {
      const abort = () => reject(signal.reason)
      signal.throwIfAborted()
      signal.addEventListener('abort', abort, { once: true })
      job.recorded = () => {
        signal.removeEventListener('abort', abort)
        resolve()
      }
      const message = { t: 'placing', jobId: job.jobId, files }
      if (current === job) {
        current = null
        placing.set(job.jobId, job)
        void next(message)
      } else port.postNow([message])
    })
  }

  /**
   * Starts the next job waiting, if any. `passing`: the message by which the job before passes the turn on; it
   * leaves at once, with this job's start, before this job runs anything: the host knows whose turn it is.
   */
  async function next(passing?: unknown): Promise<void> {
    if (current) return
    const message = waiting.shift()
    if (!message) {
      if (passing) port.postNow([passing])
      return
    }
    const { jobId } = message
    const job: ActiveJob = {
      jobId,
      controller: new AbortController(),
      children: new TrackedChildren((t, pid) => port.post({ t, jobId, pid })),
    }
    current = job
    if (passing) port.postNow([passing, { t: 'started', jobId }])
    else port.post({ t: 'started', jobId })
    // The job before may have ended a moment ago, its end still waiting to leave with this start: if this job
    // kills the process, that end must not go with it. A stream of jobs of microseconds each still travels
    // in batches; at most a millisecond of finished work is at risk.
    port.flush(flushAfterMs)
    const record = (files: readonly PlacedFile[]) => recordOutputs(job, files)
    await runJob(message, byKind.get(message.kind), job.controller, job.children, port.post, record)
    placing.delete(jobId)
    // Still its turn (it placed no outputs): the next job starts now.
    if (current === job) {
      current = null
      void next()
    }
  }

  function takeBack(jobId: string, answer: 'cancelled' | 'unqueued'): boolean {
    const index = waiting.findIndex((message) => message.jobId === jobId)
    if (index < 0) return false
    waiting.splice(index, 1)
    port.post({ t: answer, jobId })
    return true
  }

  // The host sends one message, or several that left together.
  port.onMessage((raw) => {
    for (const message of Array.isArray(raw) ? raw : [raw]) receive(message)
  })

  function receive(raw: unknown): void {
    const message = readMainMessage(raw)
    if (!message) return void process.stderr.write('Spool worker: ignored a malformed message\n')
    switch (message.t) {
      case 'run':
        waiting.push(message)
        void next()
        break
      case 'cancel':
        if (!takeBack(message.jobId, 'cancelled')) active(message.jobId)?.controller.abort(new Error('Cancelled'))
        break
      case 'unqueue':
        takeBack(message.jobId, 'unqueued')
        break
      case 'placing-recorded':
        active(message.jobId)?.recorded?.()
        break
      case 'shutdown':
        shutdown(0)
        break
    }
  }

  /** Kills the children of every job not ended. */
  function killChildren(): void {
    current?.children.killAll()
    for (const job of placing.values()) job.children.killAll()
  }

  /** Kills the children of every job not ended, cleans up what is left to clean and exits. */
  function shutdown(code: number, cleanUp?: () => void): void {
    killChildren()
    cleanUp?.()
    process.exit(code)
  }
  // The host died: nothing of ours may outlive it, processes or files.
  port.onDisconnect(() => shutdown(1, removeOwnTempRoot))
  process.on('exit', () => {
    // A handler that ends the process (`process.exit`) still lets the ends of the jobs before it leave.
    port.flush()
    // However else the process ends (a handler's own `process.exit`, an error nothing caught), its jobs'
    // children end with it: the host that would kill them may be gone already.
    killChildren()
  })
  port.post({ t: 'ready', pid: process.pid })
  return port
}
