import { z } from 'zod'
import { jobStates } from './job'
import { limits } from './limits'

export { limits }

export const jobId = z.string().regex(/^[1-9][0-9]{0,15}$/, 'is not a job id')

/** Whether `value` takes at most `limit` bytes as UTF-8 JSON (false when it cannot be JSON at all). */
function fitsAsJson(value: unknown, limit: number): boolean {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    return false
  }
  if (text === undefined) return true
  // A UTF-16 code unit takes 1 to 3 bytes of UTF-8 (a pair of them, 4): the length bounds the size both ways.
  if (text.length > limit) return false
  if (text.length * 3 <= limit) return true
  return new TextEncoder().encode(text).length <= limit
}

export const jobSpec = z.strictObject({
  kind: z.string().min(1).max(100),
  input: z
    .unknown()
    .refine((input) => input !== undefined, 'is required')
    .refine((input) => fitsAsJson(input, limits.inputBytes), `is larger than ${limits.inputBytes} bytes as JSON`),
  label: z.string().max(limits.labelLength).optional(),
  priority: z.number().int().min(-limits.priority).max(limits.priority).optional(),
  maxAttempts: z.number().int().min(1).max(limits.maxAttempts).optional(),
  runAfter: z.number().int().nonnegative().optional(),
})

const idList = z.array(jobId).min(1).max(limits.idsPerCommand)

export const submitParams = z.array(jobSpec).min(1).max(limits.specsPerSubmit)
export const cancelParams = z.union([z.strictObject({ ids: idList }), z.strictObject({ all: z.literal(true) })])
export const idsParams = z.strictObject({ ids: idList })
export const listParams = z.strictObject({
  states: z.array(z.enum(jobStates)).max(jobStates.length).optional(),
  kind: z.string().max(100).optional(),
  text: z.string().max(limits.textQuery).optional(),
  limit: z.number().int().min(1).max(limits.listPage).optional(),
  /** Where the previous page stopped: the `nextCursor` it answered. */
  cursor: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, 'is not a cursor from a previous page')
    .optional(),
  order: z.enum(['asc', 'desc']).optional(),
})
export const concurrencyParams = z.number().int().min(1).max(limits.maxConcurrency)
export const noParams = z.undefined()

export type ListQuery = z.infer<typeof listParams>
export type CancelParams = z.infer<typeof cancelParams>
