/** A running job, as the watchdog sees it. */
export interface Watched {
  /** Started and not ended. */
  readonly running: boolean
  /** When its worker last said anything about it (`performance.now()`). */
  readonly heardAt: number
  /** How long it may stay silent. */
  readonly timeoutMs: number
  /** It stayed silent for its whole timeout: stop it. */
  timeOut(): void
}

/**
 * Stops running jobs that have said nothing (no progress, no heartbeat) for their timeout. One timer for
 * every job, as `StallWatch` has: hearing from a job writes a time, and a job starting or ending moves no timer,
 * where a timer per job cost a stream of short jobs one made, moved and cleared each. The timer is set for the
 * earliest moment a job could time out; when it fires it stops every job silent for its whole timeout and is
 * set again for the earliest of the rest, or left unset while nothing runs. It never keeps the process alive:
 * a running job's worker does.
 */
export class Watchdog {
  readonly #jobs: () => Iterable<Watched>
  #timer: NodeJS.Timeout | null = null
  /** When the timer fires (`performance.now()`), or Infinity while it is not set. */
  #due = Number.POSITIVE_INFINITY

  /** `jobs`: every job that may be running. */
  constructor(jobs: () => Iterable<Watched>) {
    this.#jobs = jobs
  }

  /** A job started: makes sure a look is due by the time it could time out. */
  follow(job: Watched): void {
    this.#lookBy(job.heardAt + job.timeoutMs)
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#due = Number.POSITIVE_INFINITY
  }

  #lookBy(at: number): void {
    if (at >= this.#due) return
    this.stop()
    this.#due = at
    this.#timer = setTimeout(() => this.#look(), Math.max(0, at - performance.now()))
    this.#timer.unref()
  }

  #look(): void {
    this.#timer = null
    this.#due = Number.POSITIVE_INFINITY
    const now = performance.now()
    let next = Number.POSITIVE_INFINITY
    const silent: Watched[] = []
    for (const job of this.#jobs()) {
      if (!job.running) continue
      const deadline = job.heardAt + job.timeoutMs
      if (deadline <= now) silent.push(job)
      else next = Math.min(next, deadline)
    }
    if (next < Number.POSITIVE_INFINITY) this.#lookBy(next)
    for (const job of silent) job.timeOut()
  }
}
