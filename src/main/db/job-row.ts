import type { Job, JobState, Progress } from '../../shared/job'
import type { JobError } from '../../shared/errors'

export interface JobRow {
  id: number
  kind: string
  label: string
  state: JobState
  input: string
  priority: number
  attempts: number
  max_attempts: number
  interruptions: number
  progress: string | null
  result: string | null
  error: string | null
  /** Read only where the log is answered (`get`): up to 200 lines of 10,000 characters. */
  log?: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  run_after: number | null
  stop_asked_at: number | null
}

/** Every column but the log, for answers that leave it out (lists, snapshots). */
export const jobColumns = `id, kind, label, state, input, priority, attempts, max_attempts, interruptions, progress,
  result, error, created_at, started_at, finished_at, run_after, stop_asked_at`

/**
 * Job data one answer of many jobs (a page, a snapshot) carries at most, counted in characters of its JSON
 * texts: jobs with megabyte inputs would otherwise make a page of gigabytes, in this process and on its way to
 * a window. The answer then holds fewer jobs, and the rest come with the next page.
 */
export const answerChars = 16 * 2 ** 20

/** The characters of a row's job data: what its job takes in an answer, give or take its fixed fields. */
export function rowChars(row: JobRow): number {
  return (
    row.label.length +
    row.input.length +
    (row.progress?.length ?? 0) +
    (row.result?.length ?? 0) +
    (row.error?.length ?? 0)
  )
}

/**
 * Rows read one at a time until `want` rows or `maxChars` of job data (see `answerChars`), always at least
 * one; the statement is left as soon as either is reached. `full` says the data ran out before the rows did.
 */
export function readWithin(
  rows: IterableIterator<unknown>,
  want: number,
  maxChars: number,
): { rows: JobRow[]; chars: number; full: boolean } {
  const taken: JobRow[] = []
  let chars = 0
  for (const row of rows as IterableIterator<JobRow>) {
    taken.push(row)
    chars += rowChars(row)
    if (taken.length >= want) break
    if (chars >= maxChars) return { rows: taken, chars, full: true }
  }
  return { rows: taken, chars, full: false }
}

export const noProgress: Progress = { fraction: 0 }

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

export function rowToJob(row: JobRow, withLog = false): Job {
  const job: Job = {
    id: String(row.id),
    kind: row.kind,
    label: row.label,
    state: row.state,
    input: parseJson<unknown>(row.input, null),
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    progress: parseJson<Progress>(row.progress, noProgress),
    createdAt: row.created_at,
  }
  if (row.result !== null) job.result = parseJson<unknown>(row.result, null)
  if (row.error !== null) job.error = parseJson<JobError>(row.error, { code: 'INTERNAL', message: 'Unreadable error' })
  if (row.started_at !== null) job.startedAt = row.started_at
  if (row.finished_at !== null) job.finishedAt = row.finished_at
  if (row.run_after !== null) job.runAfter = row.run_after
  if (row.stop_asked_at !== null && (row.state === 'running' || row.state === 'queued')) job.stopping = true
  if (withLog) job.log = parseJson<string[]>(row.log ?? null, [])
  return job
}

export function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value)
}
