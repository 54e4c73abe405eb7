import type { ProgressUpdate } from '../define-job'

/** As the host reads a report (see `protocol.ts`): longer texts are cut to these. */
const maxUnit = 20
const maxMessage = 500

/** A number as a report may carry it: finite (JSON has no other). */
function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40))
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  return value === null ? 'null' : typeof value
}

/**
 * A handler's progress report as the host takes it. What arithmetic gets slightly wrong is mended: a fraction
 * just past 1 or below 0 is clamped, one that is NaN or infinite (0 / 0, 1 / 0) says "unknown", as JSON would;
 * counts below 0 are 0; texts are cut to what the host keeps. What cannot be mended (a count that is not a
 * number, a field progress does not have) is left out and named in `ignored`: the job goes on, where before
 * its worker was killed for a malformed message.
 */
export function progressReport(update: ProgressUpdate): { progress: ProgressUpdate; ignored: string[] } {
  const progress: ProgressUpdate = {}
  const ignored: string[] = []
  if (typeof update !== 'object' || update === null) return { progress, ignored: [`the report (${shown(update)})`] }
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue
    switch (key) {
      case 'fraction':
        if (value === null || (typeof value === 'number' && !Number.isFinite(value))) progress.fraction = null
        else if (typeof value === 'number') progress.fraction = Math.min(1, Math.max(0, value))
        else ignored.push(`fraction ${shown(value)}`)
        break
      case 'done':
      case 'total':
        if (isFiniteNumber(value)) progress[key] = Math.max(0, value)
        else ignored.push(`${key} ${shown(value)}`)
        break
      case 'unit':
      case 'message':
        if (typeof value === 'string') progress[key] = value.slice(0, key === 'unit' ? maxUnit : maxMessage)
        else ignored.push(`${key} ${shown(value)}`)
        break
      default:
        ignored.push(`${key} (progress has no such field)`)
    }
  }
  return { progress, ignored }
}
