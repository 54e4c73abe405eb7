import { emptyCounts, type JobCounts, type JobState, type QueueState } from '../../shared/job'

/** How many jobs are in each state, kept in step with every transition so no query is needed to show it. */
export class QueueStatus {
  readonly counts: JobCounts

  constructor(counts: JobCounts = emptyCounts()) {
    this.counts = counts
  }

  add(state: JobState, n = 1): void {
    this.counts[state] += n
  }

  move(from: JobState, to: JobState): void {
    this.counts[from]--
    this.counts[to]++
  }

  state(paused: boolean, concurrency: number): QueueState {
    return { paused, concurrency, counts: { ...this.counts } }
  }
}
