import { emptyCounts, type JobCounts, type JobState, type QueueState } from '../../shared/job'

function finished(counts: JobCounts): number {
  return counts.succeeded + counts.failed + counts.cancelled
}

function busy(counts: JobCounts): boolean {
  return counts.queued + counts.running > 0
}

/**
 * How many jobs are in each state, kept in step with every transition so no query is needed to show it, and
 * where the current run of work began: the finished count when the queue last went from idle to busy.
 */
export class QueueStatus {
  readonly counts: JobCounts
  #finishedBeforeRun: number

  constructor(counts: JobCounts = emptyCounts()) {
    this.counts = counts
    // Work left from before a restart is a run that begins now.
    this.#finishedBeforeRun = finished(counts)
  }

  add(state: JobState, n = 1): void {
    const wasBusy = busy(this.counts)
    this.counts[state] += n
    // Finished jobs removed are taken for the oldest, finished before the run: the run's own still count.
    if (n < 0 && state !== 'queued' && state !== 'running') this.#finishedBeforeRun += n
    this.#changed(wasBusy)
  }

  move(from: JobState, to: JobState): void {
    const wasBusy = busy(this.counts)
    this.counts[from]--
    this.counts[to]++
    this.#changed(wasBusy)
  }

  state(paused: boolean, concurrency: number): QueueState {
    return { paused, concurrency, counts: { ...this.counts }, finishedBeforeRun: this.#finishedBeforeRun }
  }

  #changed(wasBusy: boolean): void {
    const done = finished(this.counts)
    // A new run: what finished before it is not its work. (A job retried counts as the run's when it ends.)
    if (!wasBusy && busy(this.counts)) this.#finishedBeforeRun = done
    else this.#finishedBeforeRun = Math.max(0, Math.min(this.#finishedBeforeRun, done))
  }
}
