/**
 * Collects writes made during one turn of the event loop and commits them in a single transaction on the
 * next, so a burst of state changes costs one commit rather than one each. A commit that fails (the disk or
 * the database is full) rolls back whole; its writes are kept, in order, and tried again later.
 */
export class WriteBatcher {
  readonly #run: (writes: (() => void)[]) => void
  readonly #onError: (error: unknown) => void
  readonly #retryMs: number
  #pending: (() => void)[] = []
  #scheduled: NodeJS.Immediate | null = null
  #retry: NodeJS.Timeout | null = null

  constructor(run: (writes: (() => void)[]) => void, onError: (error: unknown) => void, retryMs = 1000) {
    this.#run = run
    this.#onError = onError
    this.#retryMs = retryMs
  }

  add(write: () => void): void {
    this.#pending.push(write)
    if (!this.#retry) this.#scheduled ??= setImmediate(() => this.flush())
  }

  /** Commits everything pending now; reads call this first so they see every write made so far. */
  flush(): boolean {
    if (this.#scheduled) clearImmediate(this.#scheduled)
    this.#scheduled = null
    if (this.#pending.length === 0) return true
    const writes = this.#pending
    this.#pending = []
    try {
      this.#run(writes)
      if (this.#retry) clearTimeout(this.#retry)
      this.#retry = null
      return true
    } catch (error) {
      this.#pending = [...writes, ...this.#pending]
      this.#retry ??= setTimeout(() => {
        this.#retry = null
        this.flush()
      }, this.#retryMs)
      this.#onError(error)
      return false
    }
  }

  get size(): number {
    return this.#pending.length
  }

  dispose(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled)
    if (this.#retry) clearTimeout(this.#retry)
    this.#scheduled = null
    this.#retry = null
  }
}
