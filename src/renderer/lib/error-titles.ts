import type { JobErrorCode } from '../../shared/errors'

/** What each kind of failure means, in a few words for the heading above its message; the code stays beside it. */
const titles: Record<JobErrorCode, string> = {
  INVALID_INPUT: 'The input could not be used',
  UNKNOWN_KIND: 'Spool has no such kind of job',
  NOT_FOUND: 'Not found',
  FORBIDDEN_PATH: 'Spool may not use this file',
  CANCELLED: 'Cancelled',
  TIMEOUT: 'Stopped: no progress for too long',
  WORKER_CRASHED: 'The worker process crashed',
  OUT_OF_MEMORY: 'Ran out of memory',
  DISK_FULL: 'The disk is full',
  OUTPUT_EXISTS: 'The output file already exists',
  INTERRUPTED: 'Spool stopped while this job ran, three times',
  HANDLER_ERROR: 'The job failed',
  UNAVAILABLE: 'Spool could not be reached',
  INTERNAL: 'Something went wrong inside Spool',
}

export function errorTitle(code: string): string {
  return titles[code as JobErrorCode] ?? 'The job failed'
}
