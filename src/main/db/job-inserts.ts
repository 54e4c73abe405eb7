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

/**
 * Jobs stored per INSERT statement in a large batch: one call into SQLite instead of one per job. Measured on
 * 40,000 jobs: 50 per statement with `RETURNING` took 4.5–6.3 µs a job, 200 without it 2.6–3.1 µs.
 */
const insertChunk = 200
const columnsPerJob = 7
const insertColumns = `INSERT INTO jobs (kind, label, state, input, priority, max_attempts, created_at, run_after) VALUES `
const insertRow = `(?, ?, 'queued', ?, ?, ?, ?, ?)`

/** Stores new jobs, queued, in one transaction, and answers their ids in order. */
export class JobInserts {
  readonly #db: SqliteDatabase
  readonly #one
  readonly #chunk
  /** The chunk statement's parameters, filled in place for each chunk. */
  readonly #params: unknown[] = new Array<unknown>(insertChunk * columnsPerJob)

  constructor(db: SqliteDatabase) {
    this.#db = db
    this.#one = db.prepare(`${insertColumns}${insertRow}`)
    this.#chunk = db.prepare(`${insertColumns}${Array.from({ length: insertChunk }, () => insertRow).join(', ')}`)
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
    } finally {
      // The chunk's parameters hold the inputs' JSON; not kept past the batch.
      this.#params.fill(null)
    }
  }

  #insertAll(jobs: readonly NewJob[], now: number): string[] {
    const ids: string[] = []
    const params = this.#params
    let at = 0
    for (; at + insertChunk <= jobs.length; at += insertChunk) {
      for (let index = 0, p = 0; index < insertChunk; index++) {
        const job = jobs[at + index] as NewJob
        params[p++] = job.kind
        params[p++] = job.label
        params[p++] = JSON.stringify(job.input)
        params[p++] = job.priority
        params[p++] = job.maxAttempts
        params[p++] = now
        params[p++] = job.runAfter ?? null
      }
      // One statement inserts its rows in order, each id one above the last (AUTOINCREMENT, one writer).
      const last = Number(this.#chunk.run(params).lastInsertRowid)
      for (let id = last - insertChunk + 1; id <= last; id++) ids.push(String(id))
    }
    for (; at < jobs.length; at++) {
      const job = jobs[at] as NewJob
      const stored = this.#one.run(
        job.kind,
        job.label,
        JSON.stringify(job.input),
        job.priority,
        job.maxAttempts,
        now,
        job.runAfter ?? null,
      )
      ids.push(String(stored.lastInsertRowid))
    }
    return ids
  }
}
