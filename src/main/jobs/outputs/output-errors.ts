import { SpoolError } from '../../../shared/errors'

/** Turns a file-system failure while writing an output into the typed error a user can act on. */
export function outputError(error: unknown, folder: string): unknown {
  if (error instanceof SpoolError) return error
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') return new SpoolError('DISK_FULL', `The disk holding ${folder} is full`)
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new SpoolError('FORBIDDEN_PATH', `Cannot write in ${folder}: it is read-only or not writable`)
  }
  if (code === 'ENOTDIR') return new SpoolError('INVALID_INPUT', `The output folder ${folder} is not a folder`)
  return error
}
