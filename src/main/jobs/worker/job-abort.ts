/**
 * A job's cancel signal, made the first time the job (or Spool on its behalf) looks at it. Most short jobs never
 * do, and an `AbortController` per job was the largest single cost of a job of microseconds in its worker (12%
 * of the worker's time, more in the garbage it left). A cancel that comes first is kept, and the signal is made
 * already aborted, with its reason.
 */
export class JobAbort {
  #controller: AbortController | undefined
  #aborted = false
  #reason: unknown

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#reason)
    }
    return this.#controller.signal
  }

  get aborted(): boolean {
    return this.#aborted
  }

  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
  }
}
