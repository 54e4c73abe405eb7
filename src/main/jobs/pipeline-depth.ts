/** Weight of the newest duration in the running average. */
const smoothing = 0.2
/**
 * The depth moves only once the fitting value is this many times larger or smaller: jobs whose duration
 * jitters around a boundary would otherwise change it (and resize the scheduler) at nearly every job.
 */
const hysteresis = 1.5

/**
 * How many jobs each worker is handed at once: one runs, the others wait their turn in the worker, so it never
 * sits idle waiting for the next job to arrive. Very short jobs go faster the more of them travel together
 * (one message then carries many starts and ends), so the depth follows how long jobs take: enough of them to
 * make about `budgetMs` of work, between `min` and `max`. A job added ahead of the others (a higher priority)
 * waits at most about that long behind jobs already handed out.
 *
 * Jobs of `longMs` or more (and jobs not yet seen to be short) go one per worker, with none waiting behind:
 * the round trip between two of them costs under 1% (a few milliseconds while the machine is busy with the
 * jobs' own work), and jobs start in the queue's order. A job waiting in a
 * worker busy for minutes would otherwise start after jobs queued behind it, which another worker took first.
 */
export class PipelineDepth {
  readonly min: number
  readonly #max: number
  readonly #budgetMs: number
  readonly #longMs: number
  #averageMs: number | null = null
  #value = 1

  constructor(options: { min: number; max: number; budgetMs: number; longMs: number }) {
    this.min = options.min
    this.#max = Math.max(options.min, options.max)
    this.#budgetMs = options.budgetMs
    this.#longMs = options.longMs
  }

  /** A job ran this long (or has been running this long, and is not done yet). */
  observe(ms: number): void {
    const average = this.#averageMs === null ? ms : this.#averageMs + smoothing * (ms - this.#averageMs)
    this.#averageMs = average
    const long = average >= (this.#value === 1 ? this.#longMs / hysteresis : this.#longMs)
    const fits = long
      ? 1
      : Math.max(this.min, Math.min(this.#max, Math.floor(this.#budgetMs / Math.max(average, 0.001))))
    if (fits >= this.#value * hysteresis || fits <= this.#value / hysteresis) this.#value = fits
  }

  /** How long jobs have lately taken (a running average), or null before the first. */
  get typicalMs(): number | null {
    return this.#averageMs
  }

  get value(): number {
    return this.#value
  }
}
