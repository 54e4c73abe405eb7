import {
  emptyCounts,
  finishedStates,
  isFinished,
  type JobCounts,
  type JobState,
  type QueueState,
  type RunEnded,
} from '../../shared/job'

function finishedOf(counts: JobCounts): RunEnded {
  return { succeeded: counts.succeeded, failed: counts.failed, cancelled: counts.cancelled }
}

function busy(counts: JobCounts): boolean {
  return counts.queued + counts.running > 0
}

/**
 * How many jobs are in each state, kept in step with every transition so no query is needed to show it, and
 * where the current run of work began: the finished counts, by state, when the queue last went from idle to busy.
 */
export class QueueStatus {
  readonly counts: JobCounts
  #beforeRun: RunEnded

  constructor(counts: JobCounts = emptyCounts()) {
    this.counts = counts
    // Work left from before a restart is a run that begins now.
    this.#beforeRun = finishedOf(counts)
  }

  add(state: JobState, n = 1): void {
    const wasBusy = busy(this.counts)
    this.counts[state] += n
    // Finished jobs removed are taken for the oldest, finished before the run: the run's own still count.
    if (n < 0 && isFinished(state)) this.#beforeRun[state] += n
    this.#changed(wasBusy)
  }

  move(from: JobState, to: JobState): void {
    const wasBusy = busy(this.counts)
    this.counts[from]--
    this.counts[to]++
    this.#changed(wasBusy)
  }

  state(paused: boolean, concurrency: number): QueueState {
    const before = this.#beforeRun
    const runEnded = {
      succeeded: this.counts.succeeded - before.succeeded,
      failed: this.counts.failed - before.failed,
      cancelled: this.counts.cancelled - before.cancelled,
    }
    const finishedBeforeRun = before.succeeded + before.failed + before.cancelled
    return { paused, concurrency, counts: { ...this.counts }, finishedBeforeRun, runEnded }
  }

  #changed(wasBusy: boolean): void {
    // A new run: what finished before it is not its work. (A job retried counts as the run's when it ends.)
    if (!wasBusy && busy(this.counts)) this.#beforeRun = finishedOf(this.counts)
    else
      for (const state of finishedStates)
        this.#beforeRun[state] = Math.max(0, Math.min(this.#beforeRun[state], this.counts[state]))
  }
}
