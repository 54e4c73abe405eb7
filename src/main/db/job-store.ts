import type { FinishedState, Job, JobCounts, JobPage, JobState, Progress } from '../../shared/job'
import { SpoolError, type JobError } from '../../shared/errors'
import type { ListQuery } from '../../shared/schemas'
import type { SqliteDatabase } from './open-database'
import { rowToJob, toJson, type JobRow } from './job-row'
import { writeGrants, type Grant } from './granted-paths'
import { JobInserts, type NewJob } from './job-inserts'
import { writeQueueSettings, type QueueSettings } from './queue-settings'
import { readListPage } from './list-page'
import { readActive, readCounts, readIdsInState, readRecent } from './queue-reads'
import { recoverInterrupted, type RecoveredJobs } from './recover-interrupted'
import { StoredQueue } from './stored-queue'
import { TickTransaction } from './tick-transaction'

/** Jobs submitted in this run kept in memory until they start, so starting one needs no read. */
const maxCachedJobs = 25_000
/** Every SQL statement Spool runs, one method each. Callers decide when a transaction wraps them. */
export class JobStore {
  readonly #db: SqliteDatabase
  readonly #tick: TickTransaction
  readonly #inserts
  readonly #get
  readonly #start
  readonly #progress
  readonly #finish
  readonly #finishFromQueued
  readonly #requeue
  readonly #cancelQueued
  readonly #askStop
  readonly #remove
  readonly #queuedJobs = new Map<string, Job>()
  /**
   * Starts not written yet. A short job's start and end often arrive in one message from its worker, and
   * then one statement records both. The others are written once this turn of the event loop is done (before
   * the tick can commit), or as soon as anything reads or changes that job.
   */
  readonly #starts = new Map<string, { attempt: number; at: number }>()
  #startsDue: NodeJS.Immediate | null = null

  constructor(db: SqliteDatabase, onCommitError: (error: unknown) => void = () => {}) {
    this.#db = db
    this.#tick = new TickTransaction(db, onCommitError, { beforeCommit: () => this.#writeStarts() })
    this.#inserts = new JobInserts(db)
    this.#get = db.prepare(`SELECT * FROM jobs WHERE id = ?`)
    this.#start = db.prepare(
      `UPDATE jobs SET state = 'running', attempts = ?, started_at = ?, run_after = NULL,
         progress = NULL, error = NULL
       WHERE id = ? AND state = 'queued'`,
    )
    this.#progress = db.prepare(
      `UPDATE jobs SET progress = ?, log = ? WHERE id = ? AND attempts = ? AND state = 'running'`,
    )
    // Fenced by attempt: an attempt that outlived its turn can never record a second completion.
    this.#finish = db.prepare(
      `UPDATE jobs SET state = ?, result = ?, error = ?, progress = ?, log = ?, finished_at = ?, placing = NULL
       WHERE id = ? AND attempts = ? AND state = 'running'`,
    )
    this.#finishFromQueued = db.prepare(
      `UPDATE jobs SET state = ?, result = ?, error = ?, progress = ?, log = ?, finished_at = ?,
         attempts = ?, started_at = ?, run_after = NULL, placing = NULL
       WHERE id = ? AND state = 'queued'`,
    )
    this.#requeue = db.prepare(
      `UPDATE jobs SET state = 'queued', error = ?, progress = ?, log = ?, run_after = ?, finished_at = NULL,
         stop_asked_at = NULL
       WHERE id = ? AND attempts = ? AND state = 'running'`,
    )
    this.#cancelQueued = db.prepare(
      `UPDATE jobs SET state = 'cancelled', finished_at = ?, error = ?, run_after = NULL WHERE id = ? AND state = 'queued'`,
    )
    this.#askStop = db.prepare(
      `UPDATE jobs SET stop_asked_at = ? WHERE id = ? AND state IN ('queued','running') AND stop_asked_at IS NULL`,
    )
    this.#remove = db.prepare(`DELETE FROM jobs WHERE id = ? AND state IN ('succeeded','failed','cancelled')`)
  }

  /** One all-or-nothing change, inside this turn's transaction (a savepoint when one is open). */
  transaction<T>(fn: () => T): T {
    return this.#tick.write(() => this.#db.transaction(fn)())
  }

  /** Runs `fn` once every write made so far is committed. */
  afterCommit(fn: () => void): void {
    this.#tick.afterCommit(fn)
  }

  /** Makes this turn's writes durable now (before a shutdown or a read by another connection). */
  commit(): void {
    this.#tick.commit()
  }

  /** Stores a batch of new jobs, all or none, and answers them as stored; a full disk or database is `DISK_FULL`. */
  insert(jobs: readonly NewJob[], now: number): Job[] {
    const full = 'There is no room left to store these jobs'
    this.commit()
    if (this.#tick.unsaved) throw new SpoolError('DISK_FULL', `${full}: the disk is full`)
    // Saved before the ids are answered, in a transaction of its own: a batch reported queued is on disk.
    const ids = this.#inserts.insert(jobs, now, full)
    return ids.map((id, index) => {
      const spec = jobs[index] as NewJob
      const job: Job = {
        id,
        kind: spec.kind,
        label: spec.label,
        state: 'queued',
        input: spec.input,
        priority: spec.priority,
        attempts: 0,
        maxAttempts: spec.maxAttempts,
        progress: { fraction: 0 },
        createdAt: now,
      }
      if (spec.runAfter !== undefined) job.runAfter = spec.runAfter
      // The same object, not a copy: the engine never changes a job it was handed (it makes new ones).
      if (this.#queuedJobs.size < maxCachedJobs) this.#queuedJobs.set(id, job)
      return job
    })
  }

  get(id: string, withLog = false): Job | null {
    this.#writeStart(id)
    const row = this.#get.get(Number(id)) as JobRow | undefined
    return row ? rowToJob(row, withLog) : null
  }

  /**
   * A queued job about to start, with its log: from memory when it was submitted in this run (handed over
   * once), else read.
   */
  takeQueued(id: string): { job: Job; log: string[] } | null {
    const cached = this.#queuedJobs.get(id)
    if (cached) {
      this.#queuedJobs.delete(id)
      return { job: cached, log: [] }
    }
    const stored = this.get(id, true)
    if (!stored) return null
    // A new object rather than `delete job.log`: the job stays a fast, fixed-shape object on the hot path.
    const { log = [], ...job } = stored
    return { job, log }
  }

  /** Records that a job started; the write waits for its end until this turn of the event loop is done. */
  markStarted(id: string, attempt: number, now: number): void {
    this.#starts.set(id, { attempt, at: now })
    this.#startsDue ??= setImmediate(() => this.#writeStarts())
  }

  #writeStart(id: string): void {
    const start = this.#starts.get(id)
    if (!start) return
    this.#starts.delete(id)
    this.#tick.write(() => this.#start.run(start.attempt, start.at, Number(id)))
  }

  #writeStarts(): void {
    if (this.#startsDue) clearImmediate(this.#startsDue)
    this.#startsDue = null
    for (const id of [...this.#starts.keys()]) this.#writeStart(id)
  }

  saveProgress(id: string, attempt: number, progress: Progress, log: readonly string[]): void {
    this.#writeStart(id)
    this.#tick.write(() => this.#progress.run(JSON.stringify(progress), JSON.stringify(log), Number(id), attempt))
  }

  finish(
    id: string,
    attempt: number,
    state: FinishedState,
    outcome: { result?: unknown; error?: JobError; progress: Progress; log: readonly string[] },
    now: number,
  ): boolean {
    const result = toJson(outcome.result)
    const error = toJson(outcome.error)
    const progress = JSON.stringify(outcome.progress)
    const log = JSON.stringify(outcome.log)
    const start = this.#starts.get(id)
    const startedAt = start?.attempt === attempt ? start.at : undefined
    if (startedAt !== undefined) this.#starts.delete(id)
    else this.#writeStart(id)
    // The values passed one by one: spread from an array, they cost each statement about 0.2 µs more.
    const info = this.#tick.write(() =>
      startedAt !== undefined
        ? this.#finishFromQueued.run(state, result, error, progress, log, now, attempt, startedAt, Number(id))
        : this.#finish.run(state, result, error, progress, log, now, Number(id), attempt),
    )
    return info.changes === 1
  }

  requeueAfterFailure(
    id: string,
    attempt: number,
    error: JobError,
    log: readonly string[],
    runAfter: number | null,
  ): boolean {
    this.#writeStart(id)
    const progress = JSON.stringify({ fraction: 0 })
    const info = this.#tick.write(() =>
      this.#requeue.run(JSON.stringify(error), progress, JSON.stringify(log), runAfter, Number(id), attempt),
    )
    return info.changes === 1
  }

  cancelQueued(id: string, now: number, error: JobError): boolean {
    this.#queuedJobs.delete(id)
    this.#writeStart(id)
    return this.#tick.write(() => this.#cancelQueued.run(now, JSON.stringify(error), Number(id)).changes === 1)
  }

  /**
   * Records that the user asked to stop a job a worker has (its work goes on until it stops): should Spool stop
   * first, the job ends cancelled at the next start rather than running again (see `recoverInterrupted`).
   */
  askStop(id: string, now: number): void {
    this.#writeStart(id)
    this.#tick.write(() => this.#askStop.run(now, Number(id)))
  }

  /** Puts finished (failed or cancelled) jobs back in the queue; answers the ids that were requeued. */
  requeueFinished(ids: readonly string[]): string[] {
    this.#writeStarts()
    const stmt = this.#db.prepare(
      `UPDATE jobs SET state = 'queued', error = NULL, result = NULL, progress = NULL, finished_at = NULL,
         run_after = NULL, max_attempts = max(max_attempts, attempts + 1), interruptions = 0, stop_asked_at = NULL
       WHERE id = ? AND state IN ('failed','cancelled')`,
    )
    return this.transaction(() => ids.filter((id) => stmt.run(Number(id)).changes === 1))
  }

  remove(ids: readonly string[]): string[] {
    this.#writeStarts()
    return this.transaction(() => ids.filter((id) => this.#remove.run(Number(id)).changes === 1))
  }

  counts(): JobCounts {
    this.#writeStarts()
    return readCounts(this.#db)
  }

  /** The jobs waiting now, to be read in run order a page at a time (see `StoredQueue`). */
  storedQueue(): StoredQueue {
    this.#writeStarts()
    return new StoredQueue(this.#db)
  }

  idsInState(state: JobState): string[] {
    this.#writeStarts()
    return readIdsInState(this.#db, state)
  }

  /** See `recoverInterrupted`: jobs a crashed host left running go back to the queue, or end. */
  recoverInterrupted(maxInterruptions: number, now: number): RecoveredJobs {
    this.#writeStarts()
    return this.transaction(() => recoverInterrupted(this.#db, maxInterruptions, now))
  }

  /** Running jobs handed back to the queue at a clean shutdown; not counted as interruptions. */
  requeueRunning(ids: readonly string[]): void {
    this.#writeStarts()
    const stmt = this.#db.prepare(
      `UPDATE jobs SET state = 'queued', progress = NULL WHERE id = ? AND state = 'running'`,
    )
    this.transaction(() => ids.forEach((id) => stmt.run(Number(id))))
  }

  /** See `readListPage`: a page found within a time budget, with the cursor to go on from. */
  list(query: ListQuery): JobPage {
    this.#writeStarts()
    return readListPage(this.#db, query)
  }

  /** See `readActive`: the jobs running, then those that start next. */
  active(limit: number): Job[] {
    this.#writeStarts()
    return readActive(this.#db, limit)
  }

  /** See `readRecent`: the jobs finished last, newest first. */
  recent(limit: number): Job[] {
    this.#writeStarts()
    return readRecent(this.#db, limit)
  }

  /** Keeps files and folders the user granted for the next start (see `granted-paths.ts`). */
  saveGrants(grants: readonly Grant[]): void {
    this.#tick.write(() => writeGrants(this.#db, grants, Date.now()))
  }

  /** Keeps the queue's settings for the next start (see `queue-settings.ts`). */
  saveQueueSettings(settings: QueueSettings): void {
    this.#tick.write(() => writeQueueSettings(this.#db, settings))
  }

  close(): void {
    this.commit()
    if (this.#db.open) this.#db.close()
  }
}
