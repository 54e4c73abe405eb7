import type { CommandParams } from '../../shared/commands'
import { SpoolError, type JobError } from '../../shared/errors'
import type { EventListener } from '../../shared/events'
import {
  isFinished,
  type Job,
  type JobId,
  type JobPage,
  type KindInfo,
  type QueueState,
  type Snapshot,
} from '../../shared/job'
import { parseCommandParams } from '../../shared/validate'
import type { CheckpointThread } from '../db/checkpoint-thread'
import { noteDamage } from '../db/damage-mark'
import type { DataDirLock } from '../db/data-dir-lock'
import type { JobStore } from '../db/job-store'
import { databaseFile } from '../db/open-database'
import { ensureRoomToStore } from '../db/storage-room'
import type { EventHub } from './event-hub'
import type { JobRunner } from './job-runner'
import type { JobWaiters } from './job-waiters'
import type { KindRegistry } from './kind-registry'
import type { PathPolicy } from './path-policy'
import type { QueueStatus } from './queue-status'
import type { Scheduler } from './scheduler'
import type { StoppedJobParts } from './stopped-job-parts'
import type { Spool } from './types'
import type { WorkerPool } from './worker-pool'

const activeLimit = 1000
const recentLimit = 200
/** How long closing waits for killed workers to exit before it sweeps their jobs' output folders anyway. */
const closeSweepWaitMs = 2000
/**
 * How long closing waits for those sweeps, and for the sweep of the jobs found running at start, from the moment
 * it begins: a folder on a drive that stopped answering must not hold up quitting the app.
 */
const closeSweepLimitMs = 5000
const cancelledError: JobError = { code: 'CANCELLED', message: 'Cancelled before it started' }

export interface EngineParts {
  dataDir: string
  store: JobStore
  hub: EventHub
  pool: WorkerPool
  scheduler: Scheduler
  registry: KindRegistry
  policy: PathPolicy
  status: QueueStatus
  waiters: JobWaiters
  runner: JobRunner
  checkpoints: CheckpointThread
  /** Sweeps after the jobs found running at open. */
  parts: StoppedJobParts
  /** Sweeps after jobs stopped since (see `JobRunner`), and those closing stops. */
  leftovers: StoppedJobParts
  lock: DataDirLock
  startupNotice?: string
}

/** The commands of the contract, over the store, the scheduler and the runner. Every param is validated here. */
export class SpoolEngine implements Spool {
  readonly dataDir: string
  readonly startupNotice?: string
  readonly #p: EngineParts
  #closed = false

  constructor(parts: EngineParts) {
    this.#p = parts
    this.dataDir = parts.dataDir
    if (parts.startupNotice) this.startupNotice = parts.startupNotice
  }

  async submit(specs: CommandParams<'submit'>): Promise<JobId[]> {
    return this.#guard(() => {
      this.#open()
      const parsed = parseCommandParams('submit', specs)
      const { registry, store, hub, scheduler, status } = this.#p
      const jobs = parsed.map((spec, index) => registry.prepare(spec, index))
      ensureRoomToStore(this.dataDir, jobs)
      const now = Date.now()
      const stored = store.insert(jobs, now)
      for (const job of stored) {
        hub.emit({ type: 'added', id: job.id, job })
        scheduler.enqueue(job.id, job.priority, job.runAfter)
      }
      const ids = stored.map((job) => job.id)
      status.add('queued', ids.length)
      this.#queueChanged()
      return ids
    })
  }

  async cancel(params: CommandParams<'cancel'>): Promise<number> {
    return this.#guard(() => {
      this.#open()
      const parsed = parseCommandParams('cancel', params)
      const { runner, scheduler, store, hub, status, waiters } = this.#p
      const ids = 'all' in parsed ? [...runner.dispatchedIds, ...scheduler.ids()] : parsed.ids
      let cancelled = 0
      const now = Date.now()
      for (const id of ids) {
        if (runner.cancel(id)) cancelled++
        else if (scheduler.remove(id) && store.cancelQueued(id, now, cancelledError)) {
          const job = store.get(id)
          if (!job) continue
          cancelled++
          status.move('queued', 'cancelled')
          hub.emit({ type: 'cancelled', id, job })
          store.afterCommit(() => waiters.finished(job))
        }
      }
      this.#queueChanged()
      return cancelled
    })
  }

  async retry(params: CommandParams<'retry'>): Promise<JobId[]> {
    return this.#guard(() => {
      this.#open()
      const { ids } = parseCommandParams('retry', params)
      const { store, hub, scheduler, status } = this.#p
      const before = new Map(ids.map((id) => [id, store.get(id)?.state]))
      const requeued = store.requeueFinished(ids)
      for (const id of requeued) {
        const job = store.get(id)
        const was = before.get(id)
        if (!job || !was) continue
        status.move(was, 'queued')
        hub.emit({ type: 'added', id, job })
        scheduler.enqueue(id, job.priority)
      }
      this.#queueChanged()
      return requeued
    })
  }

  async remove(params: CommandParams<'remove'>): Promise<number> {
    return this.#guard(() => {
      this.#open()
      const { ids } = parseCommandParams('remove', params)
      const { store, hub, status } = this.#p
      const states = new Map(ids.map((id) => [id, store.get(id)?.state]))
      const removed = store.remove(ids)
      for (const id of removed) {
        const state = states.get(id)
        if (state) status.add(state, -1)
        hub.emit({ type: 'removed', id })
      }
      this.#queueChanged()
      return removed.length
    })
  }

  async get(id: CommandParams<'get'>): Promise<Job | null> {
    return this.#get(id)
  }

  async list(query: CommandParams<'list'> = {}): Promise<JobPage> {
    return this.#guard(() => {
      this.#open()
      const page = this.#p.store.list(parseCommandParams('list', query))
      return { ...page, jobs: page.jobs.map((job) => this.#withLive(job)) }
    })
  }

  async snapshot(): Promise<Snapshot> {
    return this.#guard(() => {
      this.#open()
      this.#p.hub.flush()
      const queue = this.#queueState()
      return {
        seq: this.#p.hub.seq,
        counts: queue.counts,
        queue,
        active: this.#p.store.active(activeLimit).map((job) => this.#withLive(job)),
        recent: this.#p.store.recent(recentLimit),
        ...(this.startupNotice && { notice: this.startupNotice }),
      }
    })
  }

  async pause(): Promise<QueueState> {
    return this.#guard(() => {
      this.#open()
      this.#p.scheduler.pause()
      this.#p.runner.recallWaiting()
      this.#p.store.saveQueueSettings({ paused: true })
      this.#queueChanged()
      return this.#queueState()
    })
  }

  async resume(): Promise<QueueState> {
    return this.#guard(() => {
      this.#open()
      this.#p.scheduler.resume()
      this.#p.store.saveQueueSettings({ paused: false })
      this.#queueChanged()
      return this.#queueState()
    })
  }

  async setConcurrency(concurrency: CommandParams<'setConcurrency'>): Promise<QueueState> {
    return this.#guard(() => {
      this.#open()
      const value = parseCommandParams('setConcurrency', concurrency)
      this.#p.scheduler.concurrency = value
      this.#p.pool.maxWorkers = value
      this.#p.store.saveQueueSettings({ concurrency: value })
      this.#queueChanged()
      return this.#queueState()
    })
  }

  async kinds(): Promise<KindInfo[]> {
    this.#open()
    return this.#p.registry.info()
  }

  subscribe(listener: EventListener): () => void {
    return this.#p.hub.subscribe(listener)
  }

  async wait(id: JobId): Promise<Job> {
    // Read and registered in one go: a job that ends in between must not leave the waiter waiting for ever.
    const job = this.#get(id)
    if (!job) throw new SpoolError('NOT_FOUND', `No job ${id}`)
    return isFinished(job.state) ? job : this.#p.waiters.add(id)
  }

  grant(paths: readonly string[]): void {
    return this.#guard(() => {
      // Kept with the queue: jobs submitted with these paths still run, and retry, after a restart.
      this.#p.store.saveGrants(this.#p.policy.grant(paths))
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const { scheduler, runner, pool, hub, store, waiters, leftovers } = this.#p
    scheduler.stop()
    const stopped = runner.close()
    const exited = pool.close()
    hub.flush()
    hub.dispose()
    store.close()
    waiters.rejectAll('Spool was closed before the job finished')
    // The conversions stopped mid-write leave no temporary file beside their targets, once their workers are
    // gone (they run again from the start, at the next open).
    leftovers.add(stopped, { ms: closeSweepWaitMs, after: exited })
    try {
      await Promise.all([
        this.#p.checkpoints.stop(),
        this.#p.parts.stop(closeSweepLimitMs),
        leftovers.finish(closeSweepLimitMs),
      ])
    } finally {
      // Only now may another Spool take the queue: this one writes nothing more.
      this.#p.lock.release()
    }
  }

  #get(id: CommandParams<'get'>): Job | null {
    return this.#guard(() => {
      this.#open()
      const parsed = parseCommandParams('get', id)
      const job = this.#p.store.get(parsed, true)
      const live = this.#p.runner.live(parsed)
      return job && live ? { ...this.#withLive(job, live), log: [...live.log] } : job
    })
  }

  /**
   * A running job as its runner knows it now: its progress (saved about once a second), and whether it is
   * stopping (its row forgets a cancel once the job places its outputs, see `PlacedOutputs`).
   */
  #withLive(job: Job, live = this.#p.runner.live(job.id)): Job {
    if (!live) return job
    return { ...job, progress: live.job.progress, ...(live.job.stopping && { stopping: true as const }) }
  }

  /**
   * Runs a command's work on the database. Damage SQLite finds meanwhile is marked for a full check at the next
   * start and answered as an error that says what to do, rather than as an internal error.
   */
  #guard<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw noteDamage(databaseFile(this.dataDir), error)
    }
  }

  #queueState(): QueueState {
    return this.#p.status.state(this.#p.scheduler.paused, this.#p.scheduler.concurrency)
  }

  #queueChanged(): void {
    this.#p.hub.queueChanged(() => this.#queueState())
  }

  #open(): void {
    if (this.#closed) throw new SpoolError('INTERRUPTED', 'Spool is closed')
  }
}
