/** Every way a command or a job can fail, as one closed list shared by every process. */
export const jobErrorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_KIND',
  'NOT_FOUND',
  'FORBIDDEN_PATH',
  'CANCELLED',
  'TIMEOUT',
  'WORKER_CRASHED',
  'OUT_OF_MEMORY',
  'DISK_FULL',
  'OUTPUT_EXISTS',
  'INTERRUPTED',
  'HANDLER_ERROR',
  'UNAVAILABLE',
  'INTERNAL',
] as const

export type JobErrorCode = (typeof jobErrorCodes)[number]

/** Extra facts about a failure: where the worker died and what it last said. */
export interface JobErrorDetail {
  exitCode?: number | null
  signal?: string | null
  stderrTail?: string
  field?: string
  [key: string]: unknown
}

export interface JobError {
  code: JobErrorCode
  message: string
  detail?: JobErrorDetail
}

/** The error a command throws in process; across a boundary it travels as `{ code, message }`. */
export class SpoolError extends Error {
  readonly code: JobErrorCode
  readonly detail?: JobErrorDetail

  constructor(code: JobErrorCode, message: string, detail?: JobErrorDetail) {
    super(message)
    this.name = 'SpoolError'
    this.code = code
    if (detail) this.detail = detail
  }

  toJSON(): JobError {
    return this.detail
      ? { code: this.code, message: this.message, detail: this.detail }
      : { code: this.code, message: this.message }
  }
}

export function isJobErrorCode(value: unknown): value is JobErrorCode {
  return typeof value === 'string' && (jobErrorCodes as readonly string[]).includes(value)
}

/** Turns anything thrown into the `{ code, message }` a window or socket may see (no stacks). */
export function toJobError(error: unknown): JobError {
  if (error instanceof SpoolError) return { code: error.code, message: error.message }
  if (error && typeof error === 'object' && 'code' in error && isJobErrorCode(error.code)) {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : error.code
    return { code: error.code, message }
  }
  return { code: 'INTERNAL', message: 'Internal error' }
}
