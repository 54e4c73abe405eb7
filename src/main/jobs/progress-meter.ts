import type { Progress } from '../../shared/job'
import type { WorkerProgress } from './protocol'

/** Samples closer together than this are folded into the next, so bursts do not make the rate jitter. */
const minSampleMs = 100
/** Time constant of the exponential smoothing: the rate reflects roughly the last few seconds. */
const smoothingMs = 3000

/**
 * Turns a handler's raw reports into the progress a user sees: a fraction (from done/total when the handler
 * gives no fraction), and a smoothed rate and ETA.
 */
export class ProgressMeter {
  #progress: Progress = { fraction: 0 }
  #lastAt = 0
  #lastDone = 0
  #lastFraction = 0
  #rate: number | undefined
  #fractionRate: number | undefined

  get current(): Progress {
    return this.#progress
  }

  update(report: WorkerProgress, now: number): Progress {
    const fraction = report.fraction !== undefined ? report.fraction : fractionOf(report.done, report.total)
    const next: Progress = { fraction: fraction ?? null }
    if (report.done !== undefined) next.done = report.done
    if (report.total !== undefined) next.total = report.total
    if (report.unit !== undefined) next.unit = report.unit
    if (report.message !== undefined) next.message = report.message
    this.#sample(next, now)
    if (this.#rate !== undefined) next.rate = this.#rate
    if (this.#fractionRate && this.#fractionRate > 0 && next.fraction !== null) {
      next.etaMs = Math.max(0, Math.round((1 - next.fraction) / this.#fractionRate))
    }
    this.#progress = next
    return next
  }

  /**
   * The progress of a finished job: complete, without rate or ETA. Built anew: deleting the rate turned the
   * progress of every job that had reported one into a slow dictionary object, to store and send.
   */
  complete(): Progress {
    const { rate: _rate, etaMs: _etaMs, ...rest } = this.#progress
    const done: Progress = { ...rest, fraction: 1 }
    if (done.total !== undefined) done.done = done.total
    this.#progress = done
    return done
  }

  #sample(next: Progress, now: number): void {
    if (this.#lastAt === 0) {
      this.#lastAt = now
      this.#lastDone = next.done ?? 0
      this.#lastFraction = next.fraction ?? 0
      return
    }
    const elapsed = now - this.#lastAt
    if (elapsed < minSampleMs) return
    const weight = 1 - Math.exp(-elapsed / smoothingMs)
    const done = next.done ?? 0
    const fraction = next.fraction ?? this.#lastFraction
    const unitRate = next.done !== undefined ? ((done - this.#lastDone) * 1000) / elapsed : undefined
    const fractionRate = (fraction - this.#lastFraction) / elapsed
    if (unitRate !== undefined)
      this.#rate = this.#rate === undefined ? unitRate : this.#rate + weight * (unitRate - this.#rate)
    else {
      const perSecond = fractionRate * 1000
      this.#rate = this.#rate === undefined ? perSecond : this.#rate + weight * (perSecond - this.#rate)
    }
    this.#fractionRate =
      this.#fractionRate === undefined
        ? fractionRate
        : this.#fractionRate + weight * (fractionRate - this.#fractionRate)
    this.#lastAt = now
    this.#lastDone = done
    this.#lastFraction = fraction
  }
}

function fractionOf(done: number | undefined, total: number | undefined): number | undefined {
  if (done === undefined || !total) return undefined
  return Math.min(1, Math.max(0, done / total))
}
