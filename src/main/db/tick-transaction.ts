import type { SqliteDatabase } from './open-database'

/**
 * Groups every write made during one turn of the event loop into one transaction, committed on the next
 * turn: a burst of state changes costs one commit, and reads on this connection see every write at once.
 * A host killed mid-turn loses at most that turn's writes, never a half of one.
 */
export class TickTransaction {
  readonly #db: SqliteDatabase
  readonly #onError: (error: unknown) => void
  #scheduled: NodeJS.Immediate | null = null

  constructor(db: SqliteDatabase, onError: (error: unknown) => void) {
    this.#db = db
    this.#onError = onError
  }

  /** Runs a write inside this turn's transaction, opening it if needed. */
  write<T>(fn: () => T): T {
    if (!this.#db.inTransaction) {
      this.#db.exec('BEGIN IMMEDIATE')
      this.#scheduled = setImmediate(() => this.commit())
    }
    return fn()
  }

  commit(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled)
    this.#scheduled = null
    if (!this.#db.open || !this.#db.inTransaction) return
    try {
      this.#db.exec('COMMIT')
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
      this.#onError(error)
    }
  }
}
