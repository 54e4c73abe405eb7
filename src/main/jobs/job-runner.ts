import type { JobError, JobErrorCode } from '../../shared/errors'
import type { Job, Progress } from '../../shared/job'
import type { JobStore } from '../db/job-store'
import { Attempt, type Outcome } from './attempt'
import { retryDelay, type BackoffOptions } from './backoff'
import type { EventHub } from './event-hub'
import type { JobWaiters } from './job-waiters'
import type { KindRegistry } from './kind-registry'
import type { QueueStatus } from './queue-status'
import type { Scheduler } from './scheduler'
import type { WorkerPool } from './worker-pool'

const logLines = 200
const persistEveryMs = 1000
/** Failures another attempt cannot fix. */
const final: readonly JobErrorCode[] = [
  'CANCELLED',
  'INVALID_INPUT',
  'FORBIDDEN_PATH',
  'UNKNOWN_KIND',
  'OUTPUT_EXISTS',
  'UNAVAILABLE',
]
const cancelledError: JobError = { code: 'CANCELLED', message: 'Cancelled' }

interface RunningJob {
  job: Job
  attempt: Attempt
  log: string[]
  persistedAt: number
}

export interface RunnerParts {
  store: JobStore
  hub: EventHub
  pool: WorkerPool
  scheduler: Scheduler
  registry: KindRegistry
  status: QueueStatus
  waiters: JobWaiters
  timing: { cancelGraceMs: number; watchdogMs: number; backoff: BackoffOptions }
  queueChanged(): void
}

/**
 * Runs a job the scheduler picked: records the start, hands it to a worker, follows its progress (kept in
 * memory, persisted at most once a second), and records how it ended, once, fenced by the attempt number.
 */
export class JobRunner {
  readonly #running = new Map<string, RunningJob>()
  readonly #parts: RunnerParts
  #closing = false

  constructor(parts: RunnerParts) {
    this.#parts = parts
  }

  get runningIds(): string[] {
    return [...this.#running.keys()]
  }

  /** The live view of a running job (fresher than the database), or undefined. */
  live(id: string): { job: Job; log: string[] } | undefined {
    return this.#running.get(id)
  }

  async run(id: string): Promise<void> {
    const { store, hub, pool, status, registry, timing } = this.#parts
    const job = store.get(id, true)
    if (!job || job.state !== 'queued' || this.#closing) return
    const attempt = job.attempts + 1
    const now = Date.now()
    if (!store.markStarted(id, attempt, now)) return
    const log = job.log ?? []
    delete job.log
    delete job.error
    delete job.runAfter
    Object.assign(job, { state: 'running', attempts: attempt, progress: { fraction: 0 } })
    job.startedAt ??= now
    status.move('queued', 'running')
    this.#parts.queueChanged()
    hub.emit({ type: 'started', id, job: { ...job } })
    const worker = pool.acquire()
    const entry: RunningJob = {
      job,
      log,
      persistedAt: now,
      attempt: new Attempt(worker, {
        jobId: id,
        attempt,
        kind: job.kind,
        input: job.input,
        cancelGraceMs: timing.cancelGraceMs,
        watchdogMs: registry.timeoutMs(job.kind, timing.watchdogMs),
        onProgress: (progress) => this.#progress(entry, progress),
        onLog: (line) => this.#log(entry, line),
      }),
    }
    this.#running.set(id, entry)
    const outcome = await entry.attempt.outcome
    this.#running.delete(id)
    pool.release(worker, entry.attempt.workerSound)
    if (!this.#closing) this.#record(entry, outcome)
  }

  /** Asks a running job to stop; answers false when it is not running. */
  cancel(id: string): boolean {
    const entry = this.#running.get(id)
    entry?.attempt.cancel()
    return entry !== undefined
  }

  /** Stops every running job without recording an outcome and hands them back to the queue. */
  close(): void {
    this.#closing = true
    const ids = this.runningIds
    for (const entry of this.#running.values()) entry.attempt.abandon()
    this.#parts.store.requeueRunning(ids)
  }

  #progress(entry: RunningJob, progress: Progress): void {
    entry.job.progress = progress
    this.#parts.hub.progress(entry.job.id, progress)
    this.#persistSoon(entry)
  }

  #log(entry: RunningJob, line: string): void {
    entry.log.push(line)
    if (entry.log.length > logLines) entry.log.splice(0, entry.log.length - logLines)
    this.#persistSoon(entry)
  }

  #persistSoon(entry: RunningJob): void {
    const now = Date.now()
    if (now - entry.persistedAt < persistEveryMs) return
    entry.persistedAt = now
    this.#parts.store.saveProgress(entry.job.id, entry.job.attempts, entry.job.progress, entry.log)
  }

  #record(entry: RunningJob, outcome: Outcome): void {
    const { store, hub, status, scheduler, waiters, timing } = this.#parts
    const { job, log } = entry
    const now = Date.now()
    const attempt = job.attempts
    if (outcome.state === 'succeeded') {
      const progress = entry.attempt.meter.complete()
      if (!store.finish(job.id, attempt, 'succeeded', { result: outcome.result, progress, log }, now)) return
      Object.assign(job, { state: 'succeeded', result: outcome.result, progress, finishedAt: now })
      status.move('running', 'succeeded')
      hub.emit({ type: 'succeeded', id: job.id, job: { ...job } })
    } else {
      const error = outcome.state === 'cancelled' ? cancelledError : outcome.error
      const retry = outcome.state === 'failed' && attempt < job.maxAttempts && !final.includes(error.code)
      if (retry) {
        const runAfter = now + retryDelay(attempt, timing.backoff)
        if (!store.requeueAfterFailure(job.id, attempt, error, log, runAfter)) return
        Object.assign(job, { state: 'queued', error, runAfter, progress: { fraction: 0 } })
        status.move('running', 'queued')
        hub.emit({ type: 'failed', id: job.id, job: { ...job }, willRetry: true })
        scheduler.enqueue(job.id, job.priority, runAfter)
      } else {
        const state = outcome.state === 'cancelled' ? 'cancelled' : 'failed'
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
    if (job.state !== 'queued') waiters.finished({ ...job, log: [...log] })
  }
}
