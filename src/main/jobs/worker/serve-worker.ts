import { AsyncLocalStorage } from 'node:async_hooks'
import type { AnyJobKind } from '../define-job'
import type { PlacedFile } from '../outputs/earlier-outputs'
import { followJobsEnv, readMainMessage } from '../protocol'
import { runBelowNormalPriority } from './background-priority'
import { JobAbort } from './job-abort'
import { ranFor, runJob, type JobMessage, type RunMessage } from './run-job'
import { StderrOwners } from './stderr-owners'
import { TrackedChildren } from './tracked-children'
import { toWorkerPort, type HostPort, type WorkerPort } from './worker-port'
import { removeOwnTempRoot } from './worker-temp'

/** Work done since the last message left after which a job's start first sends what waits. */
const flushAfterMs = 1

/** Which job's code runs, followed through its callbacks and promises: whose an error nothing caught is. */
const jobScope = new AsyncLocalStorage<string>()

/** A job the worker has started and that has not ended. */
interface ActiveJob {
  jobId: string
  /** When it started (`performance.now()`). */
  since: number
  abort: JobAbort
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
  const following = process.env[followJobsEnv] === '1'
  const byKind = new Map(kinds.map((kind) => [kind.kind, kind]))
  const waiting: RunMessage[] = []
  /** The job whose turn it is. */
  let current: ActiveJob | null = null
  /** Jobs that handed the turn on while their outputs are put in place. */
  const placing = new Map<string, ActiveJob>()

  const active = (jobId: string): ActiveJob | undefined => (current?.jobId === jobId ? current : placing.get(jobId))
  const stderr = new StderrOwners(() => current?.jobId)

  /** A job's end takes what it wrote to stderr along, and its failure carries that. */
  function ended(message: JobMessage): JobMessage {
    const written = stderr.take(message.jobId)
    return message.t === 'failed' && written ? { ...message, stderr: written } : message
  }

  /** A message of a job's own. */
  function postOfJob(message: JobMessage): void {
    const end = message.t === 'failed' || message.t === 'succeeded' || message.t === 'cancelled'
    port.post(end ? ended(message) : message)
  }

  /** The job holding the turn hands it on (to none yet). */
  function passTurn(): void {
    current = null
    stderr.passed()
  }

  /**
   * Tells the host which files the job is about to place, hands the turn to the next job, and waits until the
   * files are recorded (or a cancel).
   */
  function recordOutputs(job: ActiveJob, files: readonly PlacedFile[]): Promise<void> {
    const { signal } = job.abort
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
        passTurn()
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
      since: performance.now(),
      abort: new JobAbort(),
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
    const run = () => runJob(message, byKind.get(message.kind), job.abort, job.children, postOfJob, record)
    await (following ? jobScope.run(jobId, run) : run())
    placing.delete(jobId)
    // Still its turn (it placed no outputs): the next job starts now.
    if (current === job) {
      passTurn()
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
        if (!takeBack(message.jobId, 'cancelled')) active(message.jobId)?.abort.abort(new Error('Cancelled'))
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
  /**
   * An error nothing caught, or a promise rejected that nothing handled, is the job's whose code made it. Left
   * to Node, it would end the process and fail the job running then, however innocent: a job that ended a
   * moment ago may have left a timer behind. A job still running (or placing its outputs) fails with it, and
   * the process ends (its state is not to be trusted after an error nothing caught); a rejection left by a job
   * that has ended changes nothing, an error it left ends the process as its own, and the job running then
   * runs again. A worker that does not follow jobs cannot tell whose it is: it says so, and the host runs the
   * jobs it held again, on workers that do. One that belongs to no job ends the process as before.
   */
  function stray(error: unknown, rejection: boolean): void {
    const what = rejection ? 'left a promise rejected that nothing handled' : 'threw an error nothing caught'
    const owner = jobScope.getStore()
    const job = owner === undefined ? undefined : active(owner)
    const text = error instanceof Error ? error.message : String(error)
    const whose = owner === undefined ? 'Spool worker' : `Spool worker, job ${owner}${job ? '' : ' (ended)'}`
    process.stderr.write(`${whose}: ${what}: ${error instanceof Error ? error.stack : text}\n`)
    // Without following jobs, no rejection can be told to be an ended job's: it goes as an error would.
    if (rejection && owner !== undefined && !job) return
    const messages: unknown[] = []
    if (job) {
      const message = `The job's code ${what}: ${text}`.slice(0, 4000)
      const error = { code: 'HANDLER_ERROR', message }
      messages.push(ended({ t: 'failed', jobId: job.jobId, error, ms: ranFor(job.since) }))
    }
    if (owner !== undefined) messages.push({ t: 'fatal', jobId: owner })
    else if (!following) messages.push({ t: 'fatal' })
    port.postNow(messages)
    shutdown(1)
  }
  process.on('uncaughtException', (error) => stray(error, false))
  process.on('unhandledRejection', (reason) => stray(reason, true))
  // The host died: nothing of ours may outlive it, processes or files.
  const hostGone = () => shutdown(1, removeOwnTempRoot)
  port.onDisconnect(hostGone)
  // Our stdout and stderr are pipes the host reads: a write a job makes there after it died fails (EPIPE), often
  // before the disconnect is heard. Unheard, that error would pass for the job's own and end the worker without
  // cleaning up.
  process.stdout.on('error', hostGone)
  process.stderr.on('error', hostGone)
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
