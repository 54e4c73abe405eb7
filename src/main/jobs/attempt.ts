import type { JobError } from '../../shared/errors'
import type { Progress } from '../../shared/job'
import type { WorkerExit } from './launcher'
import type { PooledWorker, WorkerListener } from './pooled-worker'
import { ProgressMeter } from './progress-meter'
import type { PlacedFile } from './outputs/earlier-outputs'
import { stderrTailChars, type WorkerMessage } from './protocol'
import { interrupted, type Outcome } from './outcome'
import type { Watched } from './watchdog'
import { describeExit } from './worker-exit'

export interface AttemptOptions {
  jobId: string
  attempt: number
  kind: string
  input: unknown
  /** The outputs earlier attempts of the job recorded (see output-records.ts). */
  placed?: readonly PlacedFile[]
  cancelGraceMs: number
  /** How long the job may stay silent once it has started (see `Watchdog`). */
  watchdogMs: number
}

/**
 * Whom an attempt tells what becomes of its job: one object, the runner's record of the job, rather than
 * callbacks made for every job.
 */
export interface AttemptOwner {
  /** The job started, `agoMs` ago (when the worker said nothing at the time). */
  started(agoMs?: number): void
  /** The job is now in this worker's hands (it may wait there behind another). */
  sent(worker: PooledWorker): void
  progress(progress: Progress): void
  logLine(line: string): void
  /** The job is about to place these files: record them, and call `recorded` once the record is on disk. */
  placing(files: readonly PlacedFile[], recorded: () => void): void
}

/**
 * One run of one job on one worker: sends it (possibly while the worker is still busy with the job before),
 * follows what comes back, and settles exactly once with how it ended. Owns the timer that stops a job that
 * will not stop when cancelled (the grace period); the runner's `Watchdog` stops one that falls silent.
 */
export class Attempt implements WorkerListener, Watched {
  readonly outcome: Promise<Outcome>
  /** Made at the job's first progress report: most short jobs send none. */
  #meter: ProgressMeter | null = null
  started = false
  /** The worker said it is about to put the job's outputs in place: a cancel may come too late to stop it. */
  placing = false
  /** False once the worker was killed or broke: it must not run another job. */
  workerSound = true
  /** When the worker last said anything about the job (see `Watchdog`). */
  heardAt = 0
  #settle!: (outcome: Outcome) => void
  #settled = false
  #cancelRequested = false
  #sent = false
  #stderrMark = 0
  #unqueueRequested = false
  #timedOut = false
  #graceTimer: NodeJS.Timeout | null = null
  #worker: PooledWorker
  readonly #options: AttemptOptions
  readonly #owner: AttemptOwner

  constructor(worker: PooledWorker, options: AttemptOptions, owner: AttemptOwner) {
    this.#worker = worker
    this.#options = options
    this.#owner = owner
    this.outcome = new Promise((resolve) => (this.#settle = resolve))
    worker.listen(options.jobId, this)
    // A worker already running needs no wait (a promise and a turn per job, in a stream of short ones); else
    // the job waits for it, unless it is moved meanwhile to a worker up sooner (`moveTo`).
    if (worker.isReady) this.#send(true)
    else void worker.ready.then((ready) => this.#worker === worker && this.#send(ready))
  }

  /** The worker broke the protocol and was killed. */
  broken(reason: string, wasRunning: boolean): void {
    if (this.#settledByAnother(wasRunning)) return
    // Broken running this job before its word that it started arrived: it counts as an attempt, as in `exit`.
    this.#startUnannounced()
    this.#finish({ state: 'failed', error: this.#withStderr({ code: 'WORKER_CRASHED', message: reason }) })
  }

  #send(ready: boolean): void {
    if (!ready || this.#settled) return
    const options = this.#options
    this.#sent = true
    this.#worker.send({
      t: 'run',
      jobId: options.jobId,
      attempt: options.attempt,
      kind: options.kind,
      input: options.input,
      // Most jobs never ran before: their message keeps the shape the worker reads fastest.
      ...(options.placed?.length && { placed: options.placed }),
    })
    this.#owner.sent(this.#worker)
  }

  /**
   * Asks the job to stop; once it has started, its worker and children are killed after the grace period,
   * unless it is placing its outputs: the worker then stops it before its first output moves, or finishes, and
   * a kill could leave it with some outputs in place. A job still waiting its turn is simply dropped: its
   * worker, busy with another job, is never harmed. Answers true when this asked a worker to stop it: the job
   * then ends once the worker does.
   */
  cancel(): boolean {
    if (this.#settled || this.#cancelRequested) return false
    this.#cancelRequested = true
    if (!this.#sent || this.#worker.withdraw(this.#options.jobId)) {
      this.#finish({ state: 'cancelled' })
      return false
    }
    this.#worker.send({ t: 'cancel', jobId: this.#options.jobId })
    if (this.started && !this.placing) this.#armGrace()
    return true
  }

  /** Takes the job back if it has not started yet; it then settles as `returned`. */
  unqueue(): void {
    if (this.#settled || this.started || this.#cancelRequested || this.#unqueueRequested) return
    this.#unqueueRequested = true
    if (this.#sent && !this.#worker.withdraw(this.#options.jobId))
      this.#worker.send({ t: 'unqueue', jobId: this.#options.jobId })
    else this.#finish({ state: 'returned' })
  }

  get worker(): PooledWorker {
    return this.#worker
  }

  /** Handed to a worker still starting, and not sent yet: a worker already up could run it sooner. */
  get awaitingWorker(): boolean {
    return !this.#sent && !this.#settled && !this.#cancelRequested && !this.#unqueueRequested
  }

  /** Sends the job to `worker`, which is up, instead of the one still starting it was handed to. */
  moveTo(worker: PooledWorker): void {
    if (!this.awaitingWorker || !worker.isReady) return
    this.#worker.unlisten(this.#options.jobId)
    this.#worker = worker
    worker.listen(this.#options.jobId, this)
    this.#send(true)
  }

  /** Sent to a worker that has a job ahead of it: the kind of job another, idle worker could take over. */
  get waitingInWorker(): boolean {
    return (
      this.#sent &&
      !this.started &&
      !this.#settled &&
      !this.#unqueueRequested &&
      // First in line, it waits for nothing: moving it would only send it back and forth between idle workers.
      !this.#worker.isHead(this.#options.jobId)
    )
  }

  /** Stops at once without an outcome worth recording (the host is shutting down). */
  abandon(): void {
    this.#kill()
    this.#finish({ state: 'returned' })
  }

  /** What the worker says about this job (see `WorkerListener`). */
  message(message: WorkerMessage): void {
    if (this.#settled) return
    try {
      this.#handle(message)
    } catch (error) {
      // Recording what the worker said failed (the database is full or gone): stop the job rather than the host.
      console.error('Spool could not record a job update:', error)
      this.cancel()
    }
  }

  #handle(message: WorkerMessage): void {
    this.heardAt = this.#worker.heardAt
    switch (message.t) {
      case 'started':
        // Already taken to run while its worker was silent (see `startedSilently`): nothing new.
        if (this.started) break
        this.started = true
        this.#stderrMark = this.#worker.settledMark
        // A cancel that crossed this message on the way: the worker will stop it, or be stopped.
        if (this.#cancelRequested) this.#armGrace()
        this.#owner.started()
        break
      case 'unqueued':
        this.#finish({ state: 'returned' })
        break
      case 'progress':
        this.#owner.progress((this.#meter ??= new ProgressMeter()).update(message.progress, Date.now()))
        break
      case 'log':
        this.#owner.logLine(message.line)
        break
      case 'placing': {
        this.placing = true
        // A cancel that crossed this message: the worker answers it once the files are flushed (see `cancel`).
        this.#disarmGrace()
        const recorded = () => {
          // Stopped meanwhile (cancelled, or its worker died): the worker no longer waits for the answer.
          if (!this.#settled) this.#worker.send({ t: 'placing-recorded', jobId: this.#options.jobId })
        }
        this.#owner.placing(message.files, recorded)
        break
      }
      case 'succeeded':
        // Even after a cancel: the work is done and its outputs are in place, so the job succeeded.
        this.#finish({ state: 'succeeded', result: message.result, ms: message.ms })
        break
      case 'failed':
        this.#finish(
          this.#cancelRequested
            ? { state: 'cancelled' }
            : { state: 'failed', error: this.#withStderr(message.error, message.stderr), ms: message.ms },
        )
        break
      case 'cancelled':
        this.#finish({ state: 'cancelled' })
        break
    }
  }

  /** The worker has been silent with this job at the head of its line: it runs, and can now be stopped. */
  startedSilently(silentMs: number): void {
    if (this.#settled || this.started) return
    this.heardAt = performance.now()
    this.#startUnannounced(silentMs)
    if (this.#cancelRequested) this.#armGrace()
  }

  /** The worker exited. */
  exit(exit: WorkerExit, wasRunning: boolean): void {
    if (this.#settledByAnother(wasRunning)) return
    this.#startUnannounced()
    if (this.#timedOut) {
      const seconds = Math.round(this.#options.watchdogMs / 1000)
      return this.#finish({
        state: 'failed',
        error: this.#withStderr({ code: 'TIMEOUT', message: `No progress for ${seconds} s; the job was stopped` }),
      })
    }
    this.#finish({ state: 'failed', error: describeExit(exit, this.#ownStderr()) })
  }

  /**
   * The worker died or broke (`wasRunning`: running this job, or killed for it). Settles the job at once when
   * the death is not its own: it was cancelled, it never started (back to the queue), or it was placing its
   * outputs (it runs again to finish them, even if asked to cancel: some may be in place); answers whether it did.
   */
  #settledByAnother(wasRunning: boolean): boolean {
    this.workerSound = false
    if (this.#cancelRequested && !this.placing) this.#finish({ state: 'cancelled' })
    else if (wasRunning) return false
    else this.#finish(this.started ? interrupted() : { state: 'returned' })
    return true
  }

  /**
   * The worker runs this job without having said so (it has been silent with it), or died or broke running it
   * before saying so (or before it could run anything): records the start, `agoMs` ago, so a failure counts as
   * an attempt and a job that kills its worker cannot come back forever. What the worker wrote since the job
   * before it settled is this job's.
   */
  #startUnannounced(agoMs = 0): void {
    if (this.started) return
    this.started = true
    this.#stderrMark = this.#worker.settledMark
    this.#owner.started(agoMs)
  }

  /**
   * A failure keeps what the worker wrote to stderr for this job: often the real reason. Never what another
   * job on the same worker wrote, which a user would read as this job's cause. `written`: what the job's code
   * wrote, as the worker tells with the failure (the lines themselves may not have arrived yet).
   */
  #withStderr(error: JobError, written?: string): JobError {
    const stderrTail = written ?? this.#ownStderr()
    return stderrTail ? { ...error, detail: { ...error.detail, stderrTail } } : error
  }

  #ownStderr(): string {
    return this.#worker.stderrOf(this.#options.jobId, this.#stderrMark).slice(-stderrTailChars)
  }

  #armGrace(): void {
    this.#graceTimer ??= setTimeout(() => this.#kill(), this.#options.cancelGraceMs)
  }

  #disarmGrace(): void {
    if (this.#graceTimer) clearTimeout(this.#graceTimer)
    this.#graceTimer = null
  }

  /** The job's progress as it succeeded: complete, whatever it reported last. */
  completedProgress(): Progress {
    return this.#meter ? this.#meter.complete() : { fraction: 1 }
  }

  /** Started and not ended: the watchdog follows it. */
  get running(): boolean {
    return this.started && !this.#settled
  }

  get timeoutMs(): number {
    return this.#options.watchdogMs
  }

  /** Silent for its whole timeout: the worker and the job's children are killed, and it fails `TIMEOUT`. */
  timeOut(): void {
    if (!this.running) return
    this.#timedOut = true
    this.#kill()
  }

  #kill(): void {
    this.workerSound = false
    this.#worker.kill(this.#options.jobId)
  }

  #finish(outcome: Outcome): void {
    if (this.#settled) return
    this.#settled = true
    this.#worker.unlisten(this.#options.jobId)
    this.#disarmGrace()
    this.#settle(outcome)
  }
}
