/**
 * Counts what a worker says in each second of the clock, against a limit: more than that is a flood, which
 * would keep the main process from anything else.
 */
export class MessageRate {
  readonly limit: number
  #second = 0
  #count = 0

  constructor(limit: number) {
    this.limit = limit
  }

  /** Counts one message; answers false once this second's count is over the limit. */
  count(now = Date.now()): boolean {
    const second = Math.floor(now / 1000)
    if (second !== this.#second) {
      this.#second = second
      this.#count = 0
    }
    return ++this.#count <= this.limit
  }
}
