import type { SqliteDatabase } from './open-database'

/**
 * Groups the writes of one engine tick (a few milliseconds) into one transaction: a burst of state changes
 * costs one commit, and reads on this connection see every write at once. A host killed mid-tick loses at
 * most that tick's writes, never half of one; a job whose completion was lost runs again.
 */
export class TickTransaction {
  readonly #db: SqliteDatabase
  readonly #onError: (error: unknown) => void
  readonly #tickMs: number
  #scheduled: NodeJS.Timeout | null = null
  #afterCommit: (() => void)[] = []

  constructor(db: SqliteDatabase, onError: (error: unknown) => void, tickMs = 5) {
    this.#db = db
    this.#onError = onError
    this.#tickMs = tickMs
  }

  /** Runs a write inside this turn's transaction, opening it if needed. */
  write<T>(fn: () => T): T {
    if (!this.#db.inTransaction) {
      this.#db.exec('BEGIN IMMEDIATE')
      this.#scheduled = setTimeout(() => this.commit(), this.#tickMs)
    }
    return fn()
  }

  /** Runs `fn` once the writes made so far are committed (at once when none are pending). */
  afterCommit(fn: () => void): void {
    if (this.#db.open && this.#db.inTransaction) this.#afterCommit.push(fn)
    else fn()
  }

  commit(): void {
    if (this.#scheduled) clearTimeout(this.#scheduled)
    this.#scheduled = null
    if (this.#db.open && this.#db.inTransaction) {
      try {
        this.#db.exec('COMMIT')
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
        this.#onError(error)
      }
    }
    const callbacks = this.#afterCommit
    this.#afterCommit = []
    for (const fn of callbacks) fn()
  }
}
