import type { JobError } from '../../shared/errors'
import type { Job, Progress } from '../../shared/job'
import type { JobStore } from '../db/job-store'
import { Attempt } from './attempt'
import type { Outcome } from './outcome'
import { retryDelay, worthRetrying, type BackoffOptions } from './backoff'
import { DispatchedJob, type RunnerHooks } from './dispatched-job'
import type { EventHub } from './event-hub'
import type { JobWaiters } from './job-waiters'
import type { KindRegistry } from './kind-registry'
import type { OutputRecords } from './output-records'
import type { PipelineDepth } from './pipeline-depth'
import { logTailLines } from './protocol'
import type { QueueStatus } from './queue-status'
import { moveToWorkersUp, takeBackForIdle } from './rebalance'
import type { Scheduler } from './scheduler'
import { StallWatch } from './stall-watch'
import { Watchdog } from './watchdog'
import type { StoppedJob, StoppedJobParts } from './stopped-job-parts'
import type { WorkerPool } from './worker-pool'

const persistEveryMs = 1000
const cancelledError: JobError = { code: 'CANCELLED', message: 'Cancelled' }

/**
 * The job as it starts its next attempt: running, without the error or delay of an attempt before. Built
 * anew rather than with `delete`, which would turn every job on this path into a slow dictionary object.
 */
function startedJob(queued: Job, now: number): Job {
  const { error: _error, runAfter: _runAfter, ...job } = queued
  job.state = 'running'
  job.attempts = queued.attempts + 1
  job.progress = { fraction: 0 }
  // The start of this run: "running for" and "took" are about it, not about a run before a retry or a restart.
  job.startedAt = now
  return job
}

export interface RunnerParts {
  store: JobStore
  outputRecords: OutputRecords
  hub: EventHub
  pool: WorkerPool
  scheduler: Scheduler
  registry: KindRegistry
  status: QueueStatus
  waiters: JobWaiters
  depth: PipelineDepth
  leftovers: StoppedJobParts
  timing: { cancelGraceMs: number; watchdogMs: number; stallMs: number; backoff: BackoffOptions }
  queueChanged(): void
}

/**
 * Runs a job the scheduler picked: hands it to a worker, records its start when the worker starts it,
 * follows its progress (kept in memory, persisted at most once a second), and records how it ended, once,
 * fenced by the attempt number.
 */
export class JobRunner {
  readonly #dispatched = new Map<string, DispatchedJob>()
  readonly #parts: RunnerParts
  #closing = false
  readonly #stalls: StallWatch
  readonly #watchdog = new Watchdog(() => this.#attempts())
  readonly #hooks: RunnerHooks = {
    started: (entry, agoMs) => this.#started(entry, agoMs),
    sent: (worker) => {
      if (worker.load > 1) this.#stalls.watch()
      this.#rebalance()
    },
    progress: (entry, progress) => this.#progress(entry, progress),
    log: (entry, line) => this.#log(entry, line),
    placing: (entry, files, recorded) => {
      entry.placed = this.#parts.outputRecords.record(entry.job.id, entry.placed, files, recorded)
      this.#saving(entry)
    },
  }

  constructor(parts: RunnerParts) {
    this.#parts = parts
    this.#stalls = new StallWatch({
      pool: parts.pool,
      minMs: parts.timing.stallMs,
      attempts: () => this.#attempts(),
      // The depth falls with a long job: fewer jobs are handed out behind the next one.
      onLong: (runningMs) => this.#setDepth(runningMs),
    })
  }

  #attempts(): Attempt[] {
    return [...this.#dispatched.values()].map((entry) => entry.attempt)
  }

  /** Jobs handed to a worker, started or waiting their turn there. */
  get dispatchedIds(): string[] {
    return [...this.#dispatched.keys()]
  }

  /** The live view of a running job (fresher than the database), or undefined. */
  live(id: string): { job: Job; log: string[] } | undefined {
    const entry = this.#dispatched.get(id)
    return entry?.attempt.started ? entry : undefined
  }

  async run(id: string): Promise<void> {
    const { store, pool, registry, timing } = this.#parts
    const taken = store.takeQueued(id)
    if (!taken || taken.job.state !== 'queued' || this.#closing) return
    const { job, log } = taken
    const refused = registry.recheck(job.kind, job.input)
    if (refused) return this.#refuse(job, log, refused)
    const worker = pool.acquire()
    const entry = new DispatchedJob(this.#hooks, job, log, this.#parts.outputRecords.earlier(job))
    const options = {
      jobId: id,
      attempt: job.attempts + 1,
      kind: job.kind,
      input: job.input,
      placed: entry.placed,
      cancelGraceMs: timing.cancelGraceMs,
      watchdogMs: registry.timeoutMs(job.kind, timing.watchdogMs),
    }
    entry.attempt = new Attempt(worker, options, entry)
    this.#dispatched.set(id, entry)
    const outcome = await entry.attempt.outcome
    this.#dispatched.delete(id)
    pool.release(entry.attempt.worker, entry.attempt.workerSound)
    if (this.#closing) return
    // Its worker died under it (gone by now): what it was writing beside its targets is nobody's to remove.
    if (entry.attempt.started && !entry.attempt.workerSound) this.#parts.leftovers.add([entry.job])
    // Before the queue can start another job (the depth may grow below): a job waiting for a worker to start
    // takes the room first.
    moveToWorkersUp(this.#dispatched, pool)
    if (entry.attempt.started) {
      // A cancelled or interrupted job stopped for another reason than its work: how long it ran says nothing
      // of how long jobs take. The worker's measure leaves out the time its messages waited in batches, which
      // for jobs of microseconds is most of what the main process sees.
      if (outcome.state === 'succeeded' || outcome.state === 'failed')
        this.#setDepth(outcome.ms ?? performance.now() - entry.startedAt)
      this.#record(entry, outcome)
    } else this.#notStarted(entry, outcome)
    this.#rebalance()
  }

  /** Asks a dispatched job to stop; answers false when no worker has it. */
  cancel(id: string): boolean {
    const entry = this.#dispatched.get(id)
    if (entry?.attempt.cancel()) this.#stopping(entry)
    return entry !== undefined
  }

  /** Takes back every job waiting its turn in a worker (the queue was paused). */
  recallWaiting(): void {
    for (const entry of this.#dispatched.values()) entry.attempt.unqueue()
  }

  /** Stops every job without recording an outcome; those that had started go back to the queue, and are answered. */
  close(): StoppedJob[] {
    this.#closing = true
    this.#stalls.stop()
    this.#watchdog.stop()
    const started = [...this.#dispatched.values()].filter((entry) => entry.attempt.started)
    for (const entry of this.#dispatched.values()) entry.attempt.abandon()
    this.#parts.store.requeueRunning(started.map((entry) => entry.job.id))
    return started.map(({ job }) => ({ kind: job.kind, input: job.input }))
  }

  #started(entry: DispatchedJob, agoMs = 0): void {
    const { store, hub, status } = this.#parts
    const now = Date.now() - Math.round(agoMs)
    const job = startedJob(entry.job, now)
    entry.job = job
    store.markStarted(job.id, job.attempts, now)
    entry.persistedAt = now
    entry.startedAt = performance.now() - agoMs
    this.#watchdog.follow(entry.attempt)
    if (entry.attempt.worker.load > 1) this.#stalls.watch()
    status.move('queued', 'running')
    this.#parts.queueChanged()
    if (hub.listening) hub.emit({ type: 'started', id: job.id, job: { ...job } })
  }

  /**
   * A worker was asked to stop the job: every window shows it stopping until it ends, and the request is kept,
   * so that a host stopped meanwhile ends the job cancelled at its next start; unless the job is placing its
   * outputs (see `PlacedOutputs`). A job still waiting in its worker shows it once it starts there.
   */
  #stopping(entry: DispatchedJob): void {
    const { store, hub } = this.#parts
    // A new object: a job that has not started yet may still be on its way to subscribers in an `added` event.
    entry.job = { ...entry.job, stopping: true }
    if (!entry.attempt.placing) store.askStop(entry.job.id, Date.now())
    if (entry.attempt.started) hub.emit({ type: 'stopping', id: entry.job.id, job: { ...entry.job } })
  }

  /** The job's outputs are being put in place, and its worker has started the next job: every window says so. */
  #saving(entry: DispatchedJob): void {
    if (entry.job.saving) return
    entry.job = { ...entry.job, saving: true }
    this.#parts.hub.emit({ type: 'saving', id: entry.job.id, job: { ...entry.job } })
  }

  /** A job whose paths no longer pass the checks it passed at submit: it fails without running. */
  #refuse(queued: Job, log: string[], error: JobError): void {
    const { store, hub, status, waiters } = this.#parts
    const now = Date.now()
    const attempt = queued.attempts + 1
    store.markStarted(queued.id, attempt, now)
    if (!store.finish(queued.id, attempt, 'failed', { error, progress: queued.progress, log }, now)) return
    // A new object: the queued one may still be on its way to subscribers in an `added` event.
    const { runAfter: _runAfter, ...rest } = queued
    const job: Job = { ...rest, state: 'failed', attempts: attempt, error, finishedAt: now }
    job.startedAt = now
    status.move('queued', 'failed')
    this.#parts.queueChanged()
    hub.emit({ type: 'failed', id: job.id, job, willRetry: false })
    const final = { ...job, log: [...log] }
    store.afterCommit(() => waiters.finished(final))
  }

  /** A job that never started: cancelled before its turn, or back to the queue untouched. */
  #notStarted(entry: DispatchedJob, outcome: Outcome): void {
    const { store, hub, status, scheduler, waiters } = this.#parts
    const { job } = entry
    if (outcome.state !== 'cancelled') return scheduler.enqueue(job.id, job.priority)
    if (!store.cancelQueued(job.id, Date.now(), cancelledError)) return
    const cancelled = store.get(job.id)
    if (!cancelled) return
    status.move('queued', 'cancelled')
    this.#parts.queueChanged()
    hub.emit({ type: 'cancelled', id: job.id, job: cancelled })
    store.afterCommit(() => waiters.finished(cancelled))
  }

  /** A worker has room: jobs waiting elsewhere (for a worker to start, or behind another job) move to it. */
  #rebalance(): void {
    moveToWorkersUp(this.#dispatched, this.#parts.pool)
    takeBackForIdle(this.#dispatched, this.#parts.pool, this.#parts.scheduler.ready)
  }

  /** Follows how long jobs take, handing more of them to each worker at once when they are short. */
  #setDepth(observedMs: number): void {
    const { depth, scheduler, pool } = this.#parts
    const before = depth.value
    depth.observe(observedMs)
    pool.typicalJobMs = depth.typicalMs
    if (depth.value === before) return
    // The pool first: a deeper scheduler hands out the next jobs at once, to workers with room at the new depth.
    pool.depth = depth.value
    scheduler.depth = depth.value
  }

  #progress(entry: DispatchedJob, progress: Progress): void {
    entry.job.progress = progress
    this.#parts.hub.progress(entry.job.id, progress)
    this.#persistSoon(entry)
  }

  #log(entry: DispatchedJob, line: string): void {
    entry.log.push(line)
    if (entry.log.length > logTailLines) entry.log.splice(0, entry.log.length - logTailLines)
    this.#persistSoon(entry)
  }

  #persistSoon(entry: DispatchedJob): void {
    const now = Date.now()
    if (now - entry.persistedAt < persistEveryMs) return
    entry.persistedAt = now
    this.#parts.store.saveProgress(entry.job.id, entry.job.attempts, entry.job.progress, entry.log)
  }

  #record(entry: DispatchedJob, outcome: Outcome): void {
    const { store, hub, status, scheduler, waiters, timing } = this.#parts
    if (entry.job.stopping || entry.job.saving) {
      const { stopping: _stopping, saving: _saving, ...ended } = entry.job
      entry.job = ended
    }
    const { job, log } = entry
    const now = Date.now()
    const attempt = job.attempts
    if (outcome.state === 'succeeded') {
      const progress = entry.attempt.completedProgress()
      if (!store.finish(job.id, attempt, 'succeeded', { result: outcome.result, progress, log }, now)) return
      Object.assign(job, { state: 'succeeded', result: outcome.result, progress, finishedAt: now })
      status.move('running', 'succeeded')
      if (hub.listening) hub.emit({ type: 'succeeded', id: job.id, job: { ...job } })
    } else {
      const error = outcome.state === 'failed' || outcome.state === 'interrupted' ? outcome.error : cancelledError
      // Interrupted by another job's end of their worker, it did nothing wrong: it runs again at once, always.
      const interrupted = outcome.state === 'interrupted'
      const retry =
        interrupted || (outcome.state === 'failed' && attempt < job.maxAttempts && worthRetrying(error.code))
      if (retry) {
        const runAfter = interrupted ? now : now + retryDelay(attempt, timing.backoff)
        if (!store.requeueAfterFailure(job.id, attempt, error, log, runAfter)) return
        Object.assign(job, { state: 'queued', error, runAfter, progress: { fraction: 0 } })
        status.move('running', 'queued')
        hub.emit({ type: 'failed', id: job.id, job: { ...job }, willRetry: true })
        scheduler.enqueue(job.id, job.priority, runAfter)
      } else {
        const state = outcome.state === 'failed' ? 'failed' : 'cancelled'
        if (!store.finish(job.id, attempt, state, { error, progress: job.progress, log }, now)) return
        Object.assign(job, { state, error, finishedAt: now })
        status.move('running', state)
        const event = { id: job.id, job: { ...job } }
        hub.emit(
          state === 'cancelled' ? { type: 'cancelled', ...event } : { type: 'failed', ...event, willRetry: false },
        )
      }
    }
    this.#parts.queueChanged()
    // Whoever waits is told only once the end is on disk: a crash now cannot make it run again.
    if (job.state !== 'queued' && waiters.has(job.id)) {
      const final = { ...job, log: [...log] }
      store.afterCommit(() => waiters.finished(final))
    }
  }
}
