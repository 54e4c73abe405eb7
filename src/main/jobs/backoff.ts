import type { JobErrorCode } from '../../shared/errors'

/** Failures another attempt cannot fix. */
const final: readonly JobErrorCode[] = [
  'CANCELLED',
  'INVALID_INPUT',
  'FORBIDDEN_PATH',
  'UNKNOWN_KIND',
  'OUTPUT_EXISTS',
  'UNAVAILABLE',
]

/** Whether another attempt could end otherwise than one that failed with `code`. */
export function worthRetrying(code: JobErrorCode): boolean {
  return !final.includes(code)
}

export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

/** Exponential backoff with jitter: attempt 1 waits between half and all of `baseMs`, each further one twice as long. */
export function retryDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
