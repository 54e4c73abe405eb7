import type { Job, Progress } from '../../shared/job'

let numbers: Intl.NumberFormat | undefined

/** "12,345" in the user's locale. One formatter for the whole page: the first one loads the locale's data. */
export function countText(count: number): string {
  numbers ??= new Intl.NumberFormat()
  return numbers.format(count)
}

/**
 * A job's state as its badge reads it: a running job asked to cancel says it is stopping; one whose outputs are
 * being put in place, while its worker has moved on, that it is saving.
 */
export function stateText(job: Job): string {
  if (job.state !== 'running') return job.state
  return job.stopping ? 'stopping' : job.saving ? 'saving' : job.state
}

export function percentText(fraction: number | null): string {
  return fraction === null ? '—' : `${Math.floor(fraction * 100)}%`
}

/** "4 s", "2 min 05 s", "1 h 03 min": short enough for a table cell. */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

/**
 * Why a queued job does not start yet, when it waits for a time (`runAfter`): a retry after a failure ("retry 2 of
 * 3 in 12 s"), or a start the submitter set ("starts in 5 min 00 s", or its date beyond a day). Null otherwise.
 */
export function waitingText(job: Job, now: number): string | null {
  if (job.state !== 'queued' || !job.runAfter || job.runAfter <= now) return null
  const left = job.runAfter - now
  // The clock ticks each second: a wait under one shows as 1 s, not "0 s", until the job starts.
  const when = left < 86_400_000 ? `in ${durationText(Math.max(1000, left))}` : `on ${timeText(job.runAfter)}`
  if (job.error && job.attempts > 0) return `retry ${job.attempts + 1} of ${job.maxAttempts} ${when}`
  return `starts ${when}`
}

/**
 * How long a finished job took: under 10 s to a tenth ("0.4 s", not "0 s" for a job that did take time), longer
 * ones as `durationText`. Only for a fixed figure: a running clock with tenths would flicker.
 */
export function tookText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0 || ms >= 9_950) return durationText(ms)
  return `${(ms / 1000).toFixed(1)} s`
}

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB']

export function bytesText(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000
    unit++
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${byteUnits[unit]}`
}

/** The rate in the job's own unit; bytes read as bytes per second. */
export function rateText(progress: Progress): string {
  if (progress.rate === undefined || !Number.isFinite(progress.rate)) return ''
  if (progress.unit === 'bytes') return `${bytesText(progress.rate)}/s`
  // Seconds of media per second of work: how fast a conversion runs against playback.
  if (progress.unit === 's') return `${progress.rate.toFixed(1)}× realtime`
  if (progress.unit)
    return `${progress.rate < 10 ? progress.rate.toFixed(1) : Math.round(progress.rate)} ${progress.unit}/s`
  return `${(progress.rate * 100).toFixed(1)} %/s`
}

export function timeText(epochMs: number | undefined): string {
  return epochMs === undefined ? '—' : new Date(epochMs).toLocaleString()
}

/** "14:32": the time of day alone, for something that happened today. */
export function clockText(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}
