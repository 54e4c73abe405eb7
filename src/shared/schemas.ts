import { z } from 'zod'
import { jobStates } from './job'
import { limits } from './limits'

export { limits }

/** The last instant a `Date` can hold, in epoch milliseconds. */
export const lastInstant = 8.64e15

export const jobId = z.string().regex(/^[1-9][0-9]{0,15}$/, 'is not a job id')

/** What JSON would silently change, or cannot hold at all, named for the caller. */
class NotJson extends Error {}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'object' && value !== null) return `a ${Object.prototype.toString.call(value).slice(8, -1)}`
  return `a ${typeof value}`
}

/** The prototypes of what JSON keeps as it is: plain objects and arrays. */
const jsonPrototypes = new Set<unknown>([Object.prototype, Array.prototype, null])

/**
 * Stops at a value JSON would turn into something else (NaN and Infinity into null, a Map or Set into {}, a
 * Date into a string) or drop (a function): a window's IPC message can carry all of these, and a job must
 * not run on an input other than the one it was given.
 */
function keepsAsJson(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key]
  const changed =
    typeof raw === 'number'
      ? !Number.isFinite(raw)
      : typeof raw === 'object' && raw !== null
        ? !jsonPrototypes.has(Object.getPrototypeOf(raw))
        : typeof raw === 'bigint' || typeof raw === 'function' || typeof raw === 'symbol'
  if (changed) {
    throw new NotJson(`holds ${describeValue(raw)} ${key ? `at "${key}"` : 'as a whole'}, which JSON cannot keep`)
  }
  return value
}

/** Why `value` cannot be a job's input as UTF-8 JSON of at most `limit` bytes, or null when it can. */
export function jsonProblem(value: unknown, limit: number): string | null {
  let text: string | undefined
  try {
    text = JSON.stringify(value, keepsAsJson)
  } catch (error) {
    if (error instanceof NotJson) return error.message
    if (error instanceof TypeError) return 'is not JSON: it refers to itself'
    return `is nested too deeply or larger than ${limit} bytes as JSON`
  }
  if (text === undefined) return null
  const tooLarge = `is larger than ${limit} bytes as JSON`
  // A UTF-16 code unit takes 1 to 3 bytes of UTF-8 (a pair of them, 4): the length bounds the size both ways.
  if (text.length > limit) return tooLarge
  if (text.length * 3 <= limit) return null
  return new TextEncoder().encode(text).length <= limit ? null : tooLarge
}

export const jobSpec = z.strictObject({
  kind: z.string().min(1).max(100),
  input: z
    .unknown()
    .refine((input) => input !== undefined, 'is required')
    .superRefine((input, ctx) => {
      const problem = jsonProblem(input, limits.inputBytes)
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  label: z.string().max(limits.labelLength).optional(),
  priority: z.number().int().min(-limits.priority).max(limits.priority).optional(),
  maxAttempts: z.number().int().min(1).max(limits.maxAttempts).optional(),
  /** No later than the last instant a date can hold (a job set past it would wait for ever, its time unshowable). */
  runAfter: z.number().int().nonnegative().max(lastInstant, 'is later than any date').optional(),
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
/** A command that takes nothing: no params, or null (what a JSON client sends for "none"). */
export const noParams = z
  .null({ error: 'none are taken: leave them out, or send null' })
  .optional()
  .transform(() => undefined)

export type ListQuery = z.infer<typeof listParams>
export type CancelParams = z.infer<typeof cancelParams>
