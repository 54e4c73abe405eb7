import type { Attempt } from './attempt'
import type { PooledWorker } from './pooled-worker'
import type { WorkerPool } from './worker-pool'

/**
 * A job that turns out to run long must not keep the jobs handed out behind it waiting: while another worker
 * could run them sooner, they are taken back and take their place in line again, and a worker busy with a
 * long job is given no more (see `WorkerPool.acquire`).
 *
 * One timer for all workers, armed while some job waits in a worker. While no running job is long yet, the
 * next look is due the moment the first could become one, so a job waits behind a long one no longer than
 * it takes to tell it is long: a steady stream of jobs of a second each costs a look every second or so, not
 * twenty a second. While every worker is busy with a long job, what waits has nowhere better to go: it is
 * looked at again every `minMs`.
 */
export class StallWatch {
  readonly #pool: WorkerPool
  readonly #minMs: number
  readonly #attempts: () => Iterable<Attempt>
  readonly #onLong: (runningMs: number) => void
  #timer: NodeJS.Timeout | null = null

  /**
   * `attempts`: every attempt dispatched now. `onLong`: how long a job found running long has run, before the
   * jobs waiting behind it are taken back.
   */
  constructor(options: {
    pool: WorkerPool
    minMs: number
    attempts: () => Iterable<Attempt>
    onLong: (runningMs: number) => void
  }) {
    this.#pool = options.pool
    this.#minMs = options.minMs
    this.#attempts = options.attempts
    this.#onLong = options.onLong
  }

  /** A job now waits in a worker: makes sure a look is due. */
  watch(afterMs = this.#minMs): void {
    if (this.#timer) return
    this.#timer = setTimeout(() => this.#look(), afterMs)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }

  #look(): void {
    this.#timer = null
    const pool = this.#pool
    const now = performance.now()
    const waitingBehind = new Map<PooledWorker, Attempt[]>()
    let nextLookMs = Number.POSITIVE_INFINITY
    for (const attempt of this.#attempts()) {
      if (!attempt.waitingInWorker) continue
      const { worker } = attempt
      const stalledIn = pool.stalledIn(worker, now)
      // Just after the job it waits behind turns long; or, behind one long already, in `minMs` (it may stay).
      nextLookMs = Math.min(nextLookMs, stalledIn >= 0 ? stalledIn + 1 : this.#minMs)
      if (stalledIn >= 0) continue
      const waiting = waitingBehind.get(worker)
      if (waiting) waiting.push(attempt)
      else waitingBehind.set(worker, [attempt])
    }
    if (waitingBehind.size > 0 && pool.hasUnstalled(now)) {
      for (const [worker, waiting] of waitingBehind) {
        this.#onLong(worker.runningFor(now))
        for (const attempt of waiting) attempt.unqueue()
      }
    }
    if (nextLookMs !== Number.POSITIVE_INFINITY) this.watch(nextLookMs)
  }
}
