import { SpoolError } from '../../shared/errors'
import type { SqliteDatabase } from './open-database'

/** A job to store, as its kind prepared it. */
export interface NewJob {
  kind: string
  label: string
  input: unknown
  priority: number
  maxAttempts: number
  runAfter?: number
}

/** Jobs stored per INSERT statement in a large batch: one call into SQLite instead of one per job. */
const insertChunk = 50
const insertColumns = `INSERT INTO jobs (kind, label, state, input, priority, max_attempts, created_at, run_after) VALUES `
const insertRow = `(?, ?, 'queued', ?, ?, ?, ?, ?)`

/** Stores new jobs, queued, in one transaction, and answers their ids in order. */
export class JobInserts {
  readonly #db: SqliteDatabase
  readonly #one
  readonly #chunk

  constructor(db: SqliteDatabase) {
    this.#db = db
    this.#one = db.prepare(`${insertColumns}${insertRow} RETURNING id`).pluck()
    this.#chunk = db
      .prepare(`${insertColumns}${Array.from({ length: insertChunk }, () => insertRow).join(', ')} RETURNING id`)
      .pluck()
  }

  /** All or none; a full disk or database is `DISK_FULL`, told with `full`. */
  insert(jobs: readonly NewJob[], now: number, full: string): string[] {
    try {
      return this.#db.transaction(() => this.#insertAll(jobs, now))()
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'SQLITE_FULL')
        throw new SpoolError('DISK_FULL', `${full}: the disk or the database size limit is full`)
      throw error
    }
  }

  #insertAll(jobs: readonly NewJob[], now: number): string[] {
    const row = (job: NewJob) => [
      job.kind,
      job.label,
      JSON.stringify(job.input),
      job.priority,
      job.maxAttempts,
      now,
      job.runAfter ?? null,
    ]
    const ids: string[] = []
    let at = 0
    for (; at + insertChunk <= jobs.length; at += insertChunk) {
      // One statement inserts its rows in order, each id one above the last; RETURNING lists them in any order.
      const chunk = this.#chunk.all(jobs.slice(at, at + insertChunk).flatMap(row)) as number[]
      for (const id of chunk.sort((a, b) => a - b)) ids.push(String(id))
    }
    for (; at < jobs.length; at++) ids.push(String(this.#one.get(row(jobs[at] as NewJob)) as number))
    return ids
  }
}
