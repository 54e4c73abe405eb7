import type { SqliteDatabase } from './open-database'

/** How long a tick that could not be saved (the disk is full) waits before it is tried again. */
const retryAfterFullMs = 1000
/**
 * Someone waiting for a commit gets it at the end of the turn, but commits made for them come at most this
 * often: when thousands of awaited jobs end each second, a commit per turn would cost more than the jobs.
 */
const waitedCommitGapMs = 2

function isFull(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_FULL'
}

/**
 * Groups the writes of one engine tick (a few milliseconds) into one transaction: a burst of state changes
 * costs one commit, and reads on this connection see every write at once. A host killed mid-tick loses at
 * most that tick's writes, never half of one; a job whose completion was lost runs again.
 *
 * When the disk is full, SQLite rolls the failed commit back while the engine has already acted on those
 * writes. So the tick's writes are kept and applied again at once (reads stay true to what the engine did),
 * and the commit is retried until space is back; until then nothing waiting for the commit is told.
 */
export class TickTransaction {
  readonly #db: SqliteDatabase
  readonly #onError: (error: unknown) => void
  readonly #tickMs: number
  readonly #beforeCommit: () => void
  #scheduled: NodeJS.Timeout | null = null
  /** Set while someone waits for the commit: it then comes at the end of this turn, not of the tick. */
  #soon: (() => void) | null = null
  #committedAt = -Infinity
  #afterCommit: (() => void)[] = []
  /** The writes of the open transaction, in order, so that they can be applied again after a rollback. */
  #writes: (() => unknown)[] = []
  #depth = 0
  /** Set while the disk is full: when the next commit is tried (monotonic time: the wall clock may be set back). */
  #retryAt = 0

  /** `beforeCommit`: writes held back for this turn's end (see `JobStore`) that every commit takes with it. */
  constructor(
    db: SqliteDatabase,
    onError: (error: unknown) => void,
    options: { tickMs?: number; beforeCommit?: () => void } = {},
  ) {
    this.#db = db
    this.#onError = onError
    this.#tickMs = options.tickMs ?? 5
    this.#beforeCommit = options.beforeCommit ?? (() => {})
  }

  /** Runs a write inside this turn's transaction, opening it if needed. */
  write<T>(fn: () => T): T {
    if (!this.#db.inTransaction) this.#begin()
    this.#depth++
    let result: T
    try {
      result = fn()
    } finally {
      this.#depth--
    }
    // A write that threw changed nothing; one nested in another is applied again by the outer one.
    if (this.#depth === 0) this.#writes.push(fn)
    return result
  }

  /** Writes made that are not saved yet: this tick's, or those kept while the disk is full. */
  get unsaved(): boolean {
    return this.#db.inTransaction || this.#writes.length > 0
  }

  /**
   * Runs `fn` once the writes made so far are committed (at once when none are pending). Someone waits for
   * that: the commit comes once this turn of the event loop is done (with every write the turn makes), rather
   * than at the end of the tick, a few milliseconds later; within `waitedCommitGapMs` of the last commit, once
   * that much time has passed.
   */
  afterCommit(fn: () => void): void {
    if (!this.#db.open || !(this.#db.inTransaction || this.#writes.length > 0)) return fn()
    this.#afterCommit.push(fn)
    if (this.#retryAt > 0 || this.#soon) return
    const wait = this.#committedAt + waitedCommitGapMs - performance.now()
    if (wait <= 0) {
      const immediate = setImmediate(() => this.commit())
      this.#soon = () => clearImmediate(immediate)
    } else {
      const timer = setTimeout(() => this.commit(), wait)
      this.#soon = () => clearTimeout(timer)
    }
  }

  commit(): void {
    try {
      if (this.#db.open) this.#beforeCommit()
    } catch (error) {
      // What was held back is lost, as the commit of it would be; what was written before still commits.
      this.#onError(error)
    }
    if (this.#scheduled) clearTimeout(this.#scheduled)
    this.#scheduled = null
    this.#soon?.()
    this.#soon = null
    if (!this.#db.open) {
      this.#writes = []
    } else if (this.#retryAt > performance.now()) {
      // Still waiting for space: trying again at every event batch would only burn CPU.
      this.#schedule(this.#retryAt - performance.now())
      return
    } else if (this.#db.inTransaction || this.#writes.length > 0) {
      try {
        if (!this.#db.inTransaction) this.#begin()
        this.#db.exec('COMMIT')
        this.#committedAt = performance.now()
        this.#writes = []
        this.#retryAt = 0
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
        if (isFull(error)) return this.#keepForRetry(error)
        this.#writes = []
        this.#onError(error)
      }
    }
    const callbacks = this.#afterCommit
    this.#afterCommit = []
    for (const fn of callbacks) fn()
  }

  #keepForRetry(error: unknown): void {
    if (this.#retryAt === 0) this.#onError(error)
    this.#retryAt = performance.now() + retryAfterFullMs
    try {
      this.#begin()
    } catch {
      // Applying them again needed room too; the next write or commit tries once more.
    }
    this.#schedule(retryAfterFullMs)
  }

  /** Opens the transaction and applies again every write a failed commit rolled back. */
  #begin(): void {
    this.#db.exec('BEGIN IMMEDIATE')
    try {
      for (const write of this.#writes) write()
    } catch (error) {
      this.#db.exec('ROLLBACK')
      throw error
    }
    this.#schedule(this.#retryAt > 0 ? Math.max(0, this.#retryAt - performance.now()) : this.#tickMs)
  }

  #schedule(ms: number): void {
    if (this.#scheduled) return
    this.#scheduled = setTimeout(() => this.commit(), ms)
    // Only a retry can be pending long; it must not keep a closing process alive.
    if (this.#retryAt > 0) this.#scheduled.unref()
  }
}
