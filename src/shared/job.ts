import type { JobError } from './errors'

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const
export type JobState = (typeof jobStates)[number]
export type FinishedState = 'succeeded' | 'failed' | 'cancelled'
export const finishedStates: readonly FinishedState[] = ['succeeded', 'failed', 'cancelled']

export type JobId = string

export interface Progress {
  /** 0..1, or null while the amount of work is unknown. */
  fraction: number | null
  done?: number
  total?: number
  unit?: string
  message?: string
  /** Units per second (of `unit`, or fraction per second when there is no unit), smoothed. */
  rate?: number
  etaMs?: number
}

export interface JobSpec {
  kind: string
  input: unknown
  label?: string
  /** Higher runs first; ties run in submission order. */
  priority?: number
  maxAttempts?: number
  /** Epoch milliseconds before which the job does not start. */
  runAfter?: number
}

export interface Job {
  id: JobId
  kind: string
  label: string
  state: JobState
  input: unknown
  priority: number
  attempts: number
  maxAttempts: number
  progress: Progress
  result?: unknown
  error?: JobError
  createdAt: number
  /** When its last run started (a retry or a restart starts a new one); unset until the first. */
  startedAt?: number
  finishedAt?: number
  runAfter?: number
  /** The last lines the job logged; only `get` fills it in. */
  log?: string[]
  /**
   * Asked to cancel, its work not stopped yet (it finishes the file in hand, or is killed once its grace period
   * is over). Set only while it is queued or running; a restart in between ends it `cancelled`.
   */
  stopping?: true
  /**
   * Its work is done and its output files are being put in place (flushed to disk, moved to their names), while
   * its worker starts the next job: it takes no turn of the "at once" any more. Set only while it is running.
   */
  saving?: true
}

export type JobCounts = Record<JobState, number>

export interface QueueState {
  paused: boolean
  concurrency: number
  counts: JobCounts
  /**
   * Jobs finished before the current run of work began (when the queue last went from idle to busy): whole-queue
   * progress counts those finished since. The same for every window, whenever it opened.
   */
  finishedBeforeRun: number
  /** How the jobs finished since the run began ended: what the run did, told when it is done. */
  runEnded?: RunEnded
}

/** Jobs of one run of work, by how they ended. */
export type RunEnded = Pick<JobCounts, FinishedState>

export interface Snapshot {
  /** The last event batch this snapshot already reflects. */
  seq: number
  counts: JobCounts
  queue: QueueState
  /** Running jobs, then the next queued ones (at most `activeLimit`). */
  active: Job[]
  /** The most recently finished jobs, newest first. */
  recent: Job[]
  /** What the user must be told of how Spool started: a damaged database kept aside, and what was read back. */
  notice?: string
}

/**
 * One page of `list`. A call looks for matches within a time budget, so a page may hold fewer jobs than asked
 * for, even none, and still have `nextCursor` (where the scan stopped: pass it back to go on). Only the last
 * page has none.
 */
export interface JobPage {
  jobs: Job[]
  nextCursor?: string
}

export interface KindInfo {
  kind: string
  title: string
  description?: string
  /** JSON Schema of the kind's input, for generated forms. */
  inputSchema: unknown
  /** File extensions (lower case, no dot) the kind takes as input; empty when it takes any file, or none. */
  accepts: string[]
  available: boolean
  unavailableReason?: string
}

export function emptyCounts(): JobCounts {
  return { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 }
}

export function isFinished(state: JobState): state is FinishedState {
  return (finishedStates as readonly JobState[]).includes(state)
}
