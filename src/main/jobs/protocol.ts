import { z } from 'zod'
import { jobErrorCodes } from '../../shared/errors'

/** Main → worker. */
export type MainMessage =
  | { t: 'run'; jobId: string; attempt: number; kind: string; input: unknown }
  | { t: 'cancel'; jobId: string }
  /** Take back a job that has not started yet (the queue was paused, or another worker is free). */
  | { t: 'unqueue'; jobId: string }
  | { t: 'shutdown' }

const jobId = z.string().max(20)

/** Main → worker, validated on arrival too: the worker runs nothing it cannot read. */
export const mainMessage = z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('run'),
    jobId,
    attempt: z.number().int().positive(),
    kind: z.string().max(100),
    input: z.unknown(),
  }),
  z.strictObject({ t: z.literal('cancel'), jobId }),
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
  z.strictObject({ t: z.literal('succeeded'), jobId, result: z.unknown() }),
  z.strictObject({ t: z.literal('failed'), jobId, error: failure }),
  z.strictObject({ t: z.literal('cancelled'), jobId }),
])

export type WorkerMessage = z.infer<typeof workerMessage>
export type WorkerProgress = z.infer<typeof progress>
