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
  log: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  run_after: number | null
}

export const noProgress: Progress = { fraction: 0 }

function parseJson<T>(text: string | null, fallback: T): T {
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
  if (withLog) job.log = parseJson<string[]>(row.log, [])
  return job
}

export function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value)
}
