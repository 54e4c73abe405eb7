import type { Job, JobCounts } from '../../shared/job'

export interface QueueProgress {
  /** 0..1 of the work in hand since the queue was last idle; null when there is none. */
  fraction: number | null
  etaMs: number | null
  done: number
  total: number
}

function finished(counts: JobCounts): number {
  return counts.succeeded + counts.failed + counts.cancelled
}

/** How long a running job still needs, from its own estimate or from its pace so far. */
function remainingMs(job: Job, now: number): number | null {
  if (job.progress.etaMs !== undefined) return job.progress.etaMs
  const fraction = job.progress.fraction
  // The shared clock ticks once a second: a job that started since its last tick has no pace yet.
  const elapsed = job.startedAt ? now - job.startedAt : 0
  if (!fraction || elapsed <= 0) return null
  return (elapsed * (1 - fraction)) / fraction
}

/**
 * Whole-queue progress: jobs finished since the queue went busy (`baselineFinished` is the finished count
 * then) plus the running jobs' fractions, over everything in hand. The ETA spreads the running jobs' remaining
 * time and the queued jobs over the concurrency. A queued job is taken to last as long as jobs of its kind that
 * finished lately (`typicalMs`, from the store), else as long as the running ones: a backlog of short jobs
 * behind two long ones is not priced at the long ones' length, nor videos at the photos' before them.
 */
export function queueProgress(
  counts: JobCounts,
  baselineFinished: number,
  running: readonly Job[],
  concurrency: number,
  now: number,
  typicalMs: number | null = null,
): QueueProgress {
  const done = Math.max(0, finished(counts) - baselineFinished)
  const total = done + counts.queued + counts.running
  if (total === 0) return { fraction: null, etaMs: null, done, total }
  let partial = 0
  let remaining = 0
  let durations = 0
  let estimated = 0
  for (const job of running) {
    partial += job.progress.fraction ?? 0
    const left = remainingMs(job, now)
    if (left === null || !job.startedAt) continue
    remaining += left
    durations += Math.max(0, now - job.startedAt) + left
    estimated++
  }
  const fraction = Math.min(1, (done + partial) / total)
  const average = typicalMs ?? (estimated > 0 ? durations / estimated : null)
  if (average === null || (estimated === 0 && counts.running > 0))
    return { fraction, etaMs: counts.running + counts.queued === 0 ? 0 : null, done, total }
  const etaMs = (remaining + counts.queued * average) / Math.max(1, Math.min(concurrency, counts.running || 1))
  return { fraction, etaMs, done, total }
}
