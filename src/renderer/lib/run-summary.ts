import type { JobCounts, QueueState } from '../../shared/job'
import { countText, durationText, percentText } from './format'
import type { QueueProgress } from './queue-progress'

/**
 * How the run that ended (or is under way) went, in words for the queue header. "Done" would claim success for
 * jobs that were cancelled or failed, so it says "finished" and names the failed and cancelled: the engine tells
 * how the run's jobs ended (`QueueState.runEnded`). From a host that does not, they are known only when nothing
 * finished before the run (the run is all the finished jobs the queue holds); otherwise the state badges beside it
 * give the totals.
 */
export function runSummary(progress: QueueProgress, counts: JobCounts, queue: QueueState) {
  const { fraction, etaMs, done, total } = progress
  const { paused } = queue
  if (fraction === null) return paused ? 'Paused' : 'Idle'
  const outcome = queue.runEnded ?? (queue.finishedBeforeRun === 0 ? counts : null)
  const unsuccessful = outcome
    ? [
        ...(outcome.failed > 0 ? [`${countText(outcome.failed)} failed`] : []),
        ...(outcome.cancelled > 0 ? [`${countText(outcome.cancelled)} cancelled`] : []),
      ]
    : []
  const pausedText = paused ? ' · paused' : ''
  if (counts.queued + counts.running === 0) {
    if (!outcome) return `All ${countText(done)} finished${pausedText}`
    const succeeded = `${countText(outcome.succeeded)} succeeded`
    if (unsuccessful.length === 0) return `All ${succeeded}${pausedText}`
    return `Finished: ${[succeeded, ...unsuccessful].join(', ')}${pausedText}`
  }
  const ended = unsuccessful.length > 0 ? ` (${unsuccessful.join(', ')})` : ''
  const eta = etaMs !== null ? ` · about ${durationText(etaMs)} left` : ''
  return `${countText(done)} of ${countText(total)} finished${ended} · ${percentText(fraction)}${eta}${pausedText}`
}
