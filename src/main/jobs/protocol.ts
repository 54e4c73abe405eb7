import { z } from 'zod'
import { jobErrorCodes } from '../../shared/errors'
import { hasExactly, hasOnly, isPlain, isRecord } from '../../shared/plain-data'
import { placedFile, type PlacedFile } from './outputs/earlier-outputs'

/** Main → worker. */
export type MainMessage =
  /** `placed`: the outputs earlier attempts recorded before placing them (absent when none did). */
  | { t: 'run'; jobId: string; attempt: number; kind: string; input: unknown; placed?: readonly PlacedFile[] }
  | { t: 'cancel'; jobId: string }
  /** The outputs the job said it is about to place are recorded, on disk: it may place them. */
  | { t: 'placing-recorded'; jobId: string }
  /** Take back a job that has not started yet (the queue was paused, or another worker is free). */
  | { t: 'unqueue'; jobId: string }
  | { t: 'shutdown' }

/**
 * Set in a worker's environment: it follows each job's callbacks and promises, to tell whose an error nothing
 * caught is. That costs every promise in the worker a little (6% of the throughput of jobs of microseconds),
 * so workers follow jobs only once one has died of an error it could not tell the job of.
 */
export const followJobsEnv = 'SPOOL_FOLLOW_JOBS'

/** The characters of what a job wrote to stderr that its failure keeps: the last ones. */
export const stderrTailChars = 4000

/**
 * Written into a worker's stderr before a job's code writes there, naming the job (or no one: the job's part
 * has ended), so the host can tell whose each line is however late it arrives. The host takes marks out of
 * what it keeps (see `StderrTail`).
 */
export const stderrOwnerMark = (jobId: string): string => `${stderrMarkStart}${jobId}\u0000`
export const stderrMarkStart = '\u0000spool-stderr-owner:'

/** The lines of a job's log kept: its last ones (the worker sends no more than these of a burst). */
export const logTailLines = 200

/** The longest job id a message may carry: a database row id as text. */
export const jobIdMaxChars = 20
const jobId = z.string().max(jobIdMaxChars)
const placedFiles = z.array(placedFile).max(100_000)

/** Main → worker, validated on arrival too: the worker runs nothing it cannot read. */
export const mainMessage = z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('run'),
    jobId,
    attempt: z.number().int().positive(),
    kind: z.string().max(100),
    input: z.unknown(),
    placed: placedFiles.optional(),
  }),
  z.strictObject({ t: z.literal('cancel'), jobId }),
  z.strictObject({ t: z.literal('placing-recorded'), jobId }),
  z.strictObject({ t: z.literal('unqueue'), jobId }),
  z.strictObject({ t: z.literal('shutdown') }),
])
const progress = z.strictObject({
  fraction: z.number().min(0).max(1).nullable().optional(),
  done: z.number().nonnegative().optional(),
  total: z.number().nonnegative().optional(),
  unit: z.string().max(20).optional(),
  message: z.string().max(500).optional(),
})
const ms = z.number().nonnegative()
const failure = z.strictObject({
  code: z.enum(jobErrorCodes),
  message: z.string().max(10_000),
  detail: z.record(z.string(), z.unknown()).optional(),
})

/** Worker → main, validated on arrival: a worker that sends anything else is treated as broken. */
export const workerMessage = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('ready'), pid: z.number().int() }),
  z.strictObject({ t: z.literal('started'), jobId }),
  z.strictObject({ t: z.literal('unqueued'), jobId }),
  z.strictObject({ t: z.literal('progress'), jobId, progress }),
  z.strictObject({ t: z.literal('log'), jobId, line: z.string().max(10_000) }),
  z.strictObject({ t: z.literal('heartbeat'), jobId }),
  z.strictObject({ t: z.literal('child'), jobId, pid: z.number().int().positive() }),
  z.strictObject({ t: z.literal('child-exit'), jobId, pid: z.number().int().positive() }),
  /** The outputs the job is about to place; it waits for `placing-recorded` before it does. */
  z.strictObject({ t: z.literal('placing'), jobId, files: placedFiles }),
  /** `ms`: how long the job ran, as the worker measured it (messages wait in batches on their way). */
  z.strictObject({ t: z.literal('succeeded'), jobId, result: z.unknown(), ms }),
  /** `stderr`: what the job's code wrote to the worker's stderr while it held the turn (see `StderrOwners`). */
  z.strictObject({
    t: z.literal('failed'),
    jobId,
    error: failure,
    ms,
    stderr: z.string().max(stderrTailChars).optional(),
  }),
  z.strictObject({ t: z.literal('cancelled'), jobId }),
  /**
   * The worker ends now, of an error nothing caught that this job's code left (the job may have ended): its
   * death is that job's. Without a job: whose it is, the worker could not tell (it does not follow jobs, see
   * `followJobsEnv`).
   */
  z.strictObject({ t: z.literal('fatal'), jobId: jobId.optional() }),
])

export type WorkerMessage = z.infer<typeof workerMessage>
export type WorkerProgress = z.infer<typeof progress>

/** As `z.number()`: finite. */
function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function isShortString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max
}

const progressKeys = ['fraction', 'done', 'total', 'unit', 'message']
const placedFileKeys = ['dev', 'ino', 'size', 'mtimeMs']

/** What `progress` accepts, checked directly. */
function isProgress(value: unknown): boolean {
  if (!isPlain(value) || !hasOnly(value, progressKeys)) return false
  const { fraction, done, total, unit, message } = value
  return (
    (fraction === undefined || fraction === null || (isNumber(fraction) && fraction >= 0 && fraction <= 1)) &&
    (done === undefined || (isNumber(done) && done >= 0)) &&
    (total === undefined || (isNumber(total) && total >= 0)) &&
    (unit === undefined || isShortString(unit, 20)) &&
    (message === undefined || isShortString(message, 500))
  )
}

/** What `placedFiles` accepts, checked directly. */
function isPlacedFiles(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > 100_000) return false
  for (let i = 0; i < value.length; i++) {
    const file: unknown = value[i]
    if (!isPlain(file) || !hasExactly(file, placedFileKeys)) return false
    if (!isNumber(file.dev) || !isNumber(file.ino) || !isNumber(file.mtimeMs)) return false
    if (!isNumber(file.size) || file.size < 0) return false
  }
  return true
}

/** As `jobId`. */
function isJobId(value: unknown): value is string {
  return isShortString(value, jobIdMaxChars)
}

/**
 * Reads a worker's message: those every job sends (its start, progress, outputs and success) checked
 * directly, the rest by the schema. Accepts exactly what `workerMessage` accepts; per message, the schema
 * costs the main process more than the whole of recording a short job's start, and between conversions, with
 * its code gone cold, some tens of microseconds.
 */
export function readWorkerMessage(raw: unknown): WorkerMessage | null {
  if (isRecord(raw) && isJobId(raw.jobId)) {
    if (raw.t === 'started' && hasExactly(raw, ['t', 'jobId'])) return raw as WorkerMessage
    if (raw.t === 'succeeded' && hasExactly(raw, ['t', 'jobId', 'result', 'ms']) && isNumber(raw.ms) && raw.ms >= 0)
      return raw as WorkerMessage
    if (raw.t === 'progress' && hasExactly(raw, ['t', 'jobId', 'progress']) && isProgress(raw.progress))
      return raw as WorkerMessage
    if (raw.t === 'placing' && hasExactly(raw, ['t', 'jobId', 'files']) && isPlacedFiles(raw.files))
      return raw as WorkerMessage
  }
  const parsed = workerMessage.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** Reads a message from the main process: a job to run, and its outputs' record, checked directly; the rest by the schema. */
export function readMainMessage(raw: unknown): MainMessage | null {
  if (isRecord(raw) && raw.t === 'placing-recorded' && isJobId(raw.jobId) && hasExactly(raw, ['t', 'jobId']))
    return raw as MainMessage
  if (
    isRecord(raw) &&
    raw.t === 'run' &&
    isJobId(raw.jobId) &&
    Number.isSafeInteger(raw.attempt) &&
    (raw.attempt as number) > 0 &&
    isShortString(raw.kind, 100) &&
    hasExactly(raw, ['t', 'jobId', 'attempt', 'kind', 'input'])
  )
    return raw as MainMessage
  const parsed = mainMessage.safeParse(raw)
  return parsed.success ? parsed.data : null
}
