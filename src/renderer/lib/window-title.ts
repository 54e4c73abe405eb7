import type { JobCounts } from '../../shared/job'
import { countText, percentText } from './format'
import type { QueueProgress } from './queue-progress'

/**
 * The window's (and a browser tab's) title: how far the run is while jobs are in hand, so a minimised window or a
 * background tab still tells how far along it is. The figure comes first, where a narrow tab still shows it.
 */
export function windowTitle(progress: QueueProgress, counts: JobCounts, paused: boolean): string {
  const busy = counts.queued + counts.running > 0
  if (!busy || progress.fraction === null) return 'Spool'
  const done = `${countText(progress.done)} of ${countText(progress.total)}`
  return `${paused ? 'Paused' : percentText(progress.fraction)} · ${done} — Spool`
}
