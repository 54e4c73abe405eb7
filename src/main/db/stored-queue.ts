import type { SqliteDatabase } from './open-database'

export interface QueuedEntry {
  id: string
  priority: number
  runAfter: number | null
}

type Row = [number, number, number | null]

/**
 * The jobs waiting in the store when Spool opened, read in run order (priority, then id) a page at a time, each
 * page found from where the last one ended (keyset on the queue-order index, no OFFSET scan): the first jobs
 * can start long before the last of 100,000 is read. Jobs submitted after it was made are not among them.
 */
export class StoredQueue {
  readonly #first
  readonly #samePriority
  readonly #lowerPriority
  readonly #lastId: number
  #after: { priority: number; id: number } | null = null
  #done = false

  constructor(db: SqliteDatabase) {
    this.#lastId = (db.prepare(`SELECT max(id) FROM jobs`).pluck().get() as number | null) ?? 0
    const columns = `SELECT id, priority, run_after FROM jobs INDEXED BY jobs_queued_order`
    // Named, as is `+id`: SQLite would otherwise pick the (state, id) index and sort the whole queue.
    this.#first = db.prepare(`${columns} WHERE state = 'queued' AND +id <= ? ORDER BY priority DESC, id LIMIT ?`).raw()
    this.#samePriority = db
      .prepare(`${columns} WHERE state = 'queued' AND priority = ? AND id > ? AND +id <= ? ORDER BY id LIMIT ?`)
      .raw()
    this.#lowerPriority = db
      .prepare(`${columns} WHERE state = 'queued' AND priority < ? AND +id <= ? ORDER BY priority DESC, id LIMIT ?`)
      .raw()
  }

  /** Whether every page has been read. */
  get done(): boolean {
    return this.#done
  }

  /** The next `limit` jobs in run order; fewer (or none) once the end is reached. */
  next(limit: number): QueuedEntry[] {
    if (this.#done) return []
    const after = this.#after
    let rows: Row[]
    if (!after) rows = this.#first.all(this.#lastId, limit) as Row[]
    else {
      rows = this.#samePriority.all(after.priority, after.id, this.#lastId, limit) as Row[]
      if (rows.length < limit)
        rows = rows.concat(this.#lowerPriority.all(after.priority, this.#lastId, limit - rows.length) as Row[])
    }
    const last = rows[rows.length - 1]
    if (last) this.#after = { priority: last[1], id: last[0] }
    if (rows.length < limit) this.#done = true
    return rows.map(([id, priority, runAfter]) => ({ id: String(id), priority, runAfter }))
  }
}
