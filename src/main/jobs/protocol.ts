import { z } from 'zod'
import { jobErrorCodes } from '../../shared/errors'
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

const jobId = z.string().max(20)
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
  z.strictObject({ t: z.literal('succeeded'), jobId, result: z.unknown() }),
  z.strictObject({ t: z.literal('failed'), jobId, error: failure }),
  z.strictObject({ t: z.literal('cancelled'), jobId }),
])

export type WorkerMessage = z.infer<typeof workerMessage>
export type WorkerProgress = z.infer<typeof progress>

/** An object with exactly these own keys (in any order), as `z.strictObject` requires. */
function hasExactly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  let count = 0
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !keys.includes(key)) return false
    count++
  }
  return count === keys.length
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isJobId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 20
}

/**
 * Reads a worker's message: the two that every job sends (its start and its success) checked directly, the
 * rest by the schema. Accepts exactly what `workerMessage` accepts; per message, the schema costs the main
 * process more than the whole of recording a short job's start.
 */
export function readWorkerMessage(raw: unknown): WorkerMessage | null {
  if (isRecord(raw) && isJobId(raw.jobId)) {
    if (raw.t === 'started' && hasExactly(raw, ['t', 'jobId'])) return raw as WorkerMessage
    if (raw.t === 'succeeded' && hasExactly(raw, ['t', 'jobId', 'result'])) return raw as WorkerMessage
  }
  const parsed = workerMessage.safeParse(raw)
  return parsed.success ? parsed.data : null
}

/** Reads a message from the main process: a job to run checked directly, the rest by the schema. */
export function readMainMessage(raw: unknown): MainMessage | null {
  if (
    isRecord(raw) &&
    raw.t === 'run' &&
    isJobId(raw.jobId) &&
    Number.isSafeInteger(raw.attempt) &&
    (raw.attempt as number) > 0 &&
    typeof raw.kind === 'string' &&
    raw.kind.length <= 100 &&
    hasExactly(raw, ['t', 'jobId', 'attempt', 'kind', 'input'])
  )
    return raw as MainMessage
  const parsed = mainMessage.safeParse(raw)
  return parsed.success ? parsed.data : null
}
