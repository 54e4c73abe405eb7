import type { JobCounts } from '../../shared/job'
import { countText, durationText, percentText } from './format'
import type { QueueProgress } from './queue-progress'

/**
 * How the run that ended (or is under way) went, in words for the queue header. "Done" would claim success for
 * jobs that were cancelled or failed, so it says "finished" and names the failed and cancelled. The engine keeps
 * one count of what finished before the run; the run's own failed and cancelled are known only when that is 0
 * (the run is all the finished jobs the queue holds). Otherwise the state badges beside it give the totals.
 */
export function runSummary(progress: QueueProgress, counts: JobCounts, finishedBeforeRun: number, paused: boolean) {
  const { fraction, etaMs, done, total } = progress
  if (fraction === null) return paused ? 'Paused' : 'Idle'
  const outcome = finishedBeforeRun === 0 ? counts : null
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
