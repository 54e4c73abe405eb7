import type { Job, JobCounts, JobState, Progress } from '../../shared/job'
import { emptyCounts } from '../../shared/job'
import { SpoolError, type JobError } from '../../shared/errors'
import type { ListQuery } from '../../shared/schemas'
import type { SqliteDatabase } from './open-database'
import { rowToJob, toJson, type JobRow } from './job-row'
import { listStatement } from './list-statement'
import { recoverInterrupted, type RecoveredJobs } from './recover-interrupted'
import { TickTransaction } from './tick-transaction'

export interface NewJob {
  kind: string
  label: string
  input: unknown
  priority: number
  maxAttempts: number
  runAfter?: number
}

export interface QueuedEntry {
  id: string
  priority: number
  runAfter: number | null
}

type Final = 'succeeded' | 'failed' | 'cancelled'

/** Every SQL statement Spool runs, one method each. Callers decide when a transaction wraps them. */
export class JobStore {
  readonly #db: SqliteDatabase
  readonly #tick: TickTransaction
  readonly #insert
  readonly #get
  readonly #start
  readonly #progress
  readonly #finish
  readonly #requeue
  readonly #cancelQueued
  readonly #remove

  constructor(db: SqliteDatabase, onCommitError: (error: unknown) => void = () => {}) {
    this.#db = db
    this.#tick = new TickTransaction(db, onCommitError)
    this.#insert = db.prepare(
      `INSERT INTO jobs (kind, label, state, input, priority, max_attempts, created_at, run_after)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)`,
    )
    this.#get = db.prepare(`SELECT * FROM jobs WHERE id = ?`)
    this.#start = db.prepare(
      `UPDATE jobs SET state = 'running', attempts = ?, started_at = coalesce(started_at, ?), run_after = NULL,
         progress = NULL, error = NULL
       WHERE id = ? AND state = 'queued'`,
    )
    this.#progress = db.prepare(
      `UPDATE jobs SET progress = ?, log = ? WHERE id = ? AND attempts = ? AND state = 'running'`,
    )
    // Fenced by attempt: an attempt that outlived its turn can never record a second completion.
    this.#finish = db.prepare(
      `UPDATE jobs SET state = ?, result = ?, error = ?, progress = ?, log = ?, finished_at = ?
       WHERE id = ? AND attempts = ? AND state = 'running'`,
    )
    this.#requeue = db.prepare(
      `UPDATE jobs SET state = 'queued', error = ?, progress = ?, log = ?, run_after = ?, finished_at = NULL
       WHERE id = ? AND attempts = ? AND state = 'running'`,
    )
    this.#cancelQueued = db.prepare(
      `UPDATE jobs SET state = 'cancelled', finished_at = ?, error = ?, run_after = NULL WHERE id = ? AND state = 'queued'`,
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

  /** Stores a batch of new jobs, all or none; a full disk or database is `DISK_FULL`. */
  insert(jobs: readonly NewJob[], now: number): string[] {
    this.#tick.commit()
    return this.#whenFull('There is no room left to store these jobs', () => this.#insertAll(jobs, now))
  }

  #whenFull<T>(message: string, write: () => T): T {
    try {
      return write()
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'SQLITE_FULL')
        throw new SpoolError('DISK_FULL', `${message}: the disk or the database size limit is full`)
      throw error
    }
  }

  #insertAll(jobs: readonly NewJob[], now: number): string[] {
    return this.transaction(() =>
      jobs.map((job) => {
        const info = this.#insert.run(
          job.kind,
          job.label,
          JSON.stringify(job.input),
          job.priority,
          job.maxAttempts,
          now,
          job.runAfter ?? null,
        )
        return String(info.lastInsertRowid)
      }),
    )
  }

  get(id: string, withLog = false): Job | null {
    const row = this.#get.get(Number(id)) as JobRow | undefined
    return row ? rowToJob(row, withLog) : null
  }

  markStarted(id: string, attempt: number, now: number): boolean {
    return this.#tick.write(() => this.#start.run(attempt, now, Number(id)).changes === 1)
  }

  saveProgress(id: string, attempt: number, progress: Progress, log: readonly string[]): void {
    this.#tick.write(() => this.#progress.run(JSON.stringify(progress), JSON.stringify(log), Number(id), attempt))
  }

  finish(
    id: string,
    attempt: number,
    state: Final,
    outcome: { result?: unknown; error?: JobError; progress: Progress; log: readonly string[] },
    now: number,
  ): boolean {
    const info = this.#tick.write(() =>
      this.#finish.run(
        state,
        toJson(outcome.result),
        toJson(outcome.error),
        JSON.stringify(outcome.progress),
        JSON.stringify(outcome.log),
        now,
        Number(id),
        attempt,
      ),
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
    const progress = JSON.stringify({ fraction: 0 })
    const info = this.#tick.write(() =>
      this.#requeue.run(JSON.stringify(error), progress, JSON.stringify(log), runAfter, Number(id), attempt),
    )
    return info.changes === 1
  }

  cancelQueued(id: string, now: number, error: JobError): boolean {
    return this.#tick.write(() => this.#cancelQueued.run(now, JSON.stringify(error), Number(id)).changes === 1)
  }

  /** Puts finished (failed or cancelled) jobs back in the queue; answers the ids that were requeued. */
  requeueFinished(ids: readonly string[]): string[] {
    const stmt = this.#db.prepare(
      `UPDATE jobs SET state = 'queued', error = NULL, result = NULL, progress = NULL, finished_at = NULL,
         run_after = NULL, max_attempts = max(max_attempts, attempts + 1), interruptions = 0
       WHERE id = ? AND state IN ('failed','cancelled')`,
    )
    return this.transaction(() => ids.filter((id) => stmt.run(Number(id)).changes === 1))
  }

  remove(ids: readonly string[]): string[] {
    return this.transaction(() => ids.filter((id) => this.#remove.run(Number(id)).changes === 1))
  }

  counts(): JobCounts {
    const counts = emptyCounts()
    const rows = this.#db.prepare(`SELECT state, count(*) AS n FROM jobs GROUP BY state`).all() as {
      state: JobState
      n: number
    }[]
    for (const row of rows) counts[row.state] = row.n
    return counts
  }

  queued(): QueuedEntry[] {
    const rows = this.#db
      .prepare(`SELECT id, priority, run_after FROM jobs WHERE state = 'queued' ORDER BY id`)
      .raw()
      .all() as [number, number, number | null][]
    return rows.map(([id, priority, runAfter]) => ({ id: String(id), priority, runAfter }))
  }

  idsInState(state: JobState): string[] {
    const rows = this.#db.prepare(`SELECT id FROM jobs WHERE state = ? ORDER BY id`).pluck().all(state) as number[]
    return rows.map(String)
  }

  /** See `recoverInterrupted`: jobs a crashed host left running go back to the queue, or end. */
  recoverInterrupted(maxInterruptions: number, now: number): RecoveredJobs {
    return this.transaction(() => recoverInterrupted(this.#db, maxInterruptions, now))
  }

  /** Running jobs handed back to the queue at a clean shutdown; not counted as interruptions. */
  requeueRunning(ids: readonly string[]): void {
    const stmt = this.#db.prepare(
      `UPDATE jobs SET state = 'queued', progress = NULL WHERE id = ? AND state = 'running'`,
    )
    this.transaction(() => ids.forEach((id) => stmt.run(Number(id))))
  }

  list(query: ListQuery): { jobs: Job[]; nextCursor?: string } {
    const { sql, args, limit } = listStatement(query)
    const rows = this.#db.prepare(sql).all(...args) as JobRow[]
    const page = rows.slice(0, limit).map((row) => rowToJob(row))
    const last = page[page.length - 1]
    return rows.length > limit && last ? { jobs: page, nextCursor: last.id } : { jobs: page }
  }

  /** Running jobs first, then queued ones in the order they will start. */
  active(limit: number): Job[] {
    const running = this.#db
      .prepare(`SELECT * FROM jobs WHERE state = 'running' ORDER BY id LIMIT ?`)
      .all(limit) as JobRow[]
    const queued = this.#db
      .prepare(`SELECT * FROM jobs WHERE state = 'queued' ORDER BY priority DESC, id ASC LIMIT ?`)
      .all(Math.max(0, limit - running.length)) as JobRow[]
    return [...running, ...queued].map((row) => rowToJob(row))
  }

  recent(limit: number): Job[] {
    const rows = this.#db
      .prepare(`SELECT * FROM jobs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT ?`)
      .all(limit) as JobRow[]
    return rows.map((row) => rowToJob(row))
  }

  close(): void {
    this.commit()
    if (this.#db.open) this.#db.close()
  }
}
