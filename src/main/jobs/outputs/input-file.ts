import { createReadStream, statSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { Readable } from 'node:stream'
import { z } from 'zod'
import { SpoolError } from '../../../shared/errors'

// Two or more letters before the colon, so a Windows drive letter is not taken for a URL scheme.
const urlScheme = /^[a-z][a-z0-9+.-]+:/i

/**
 * An absolute path to a plain file. URLs (`file:`, `http:`), ffmpeg protocols (`concat:`, `pipe:`) and
 * option-like names are refused here, so nothing but a file on disk ever reaches sharp or ffmpeg.
 */
export const inputFilePath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (path) => !urlScheme.test(path),
    'must be a file path, not a URL or protocol (such as file:, http: or concat:)',
  )
  .refine((path) => !path.startsWith('-'), 'must not start with "-"')
  .refine((path) => !path.includes('\0'), 'must not contain a NUL character')
  .refine((path) => isAbsolute(path), 'must be an absolute path')

/** An absolute folder path, with the same refusals as an input file. */
export const folderPath = inputFilePath

/**
 * Checks, when the job runs, that its input is still there and still a regular file (it may have been
 * deleted or replaced since it was queued). Answers its size. One direct call: a thread-pool round trip
 * would cost more than the stat itself.
 */
export async function checkInputFile(path: string, options: { allowEmpty?: boolean } = {}): Promise<number> {
  let size: number
  try {
    const info = statSync(path)
    if (!info.isFile()) throw new SpoolError('INVALID_INPUT', `${path} is no longer a file`)
    size = info.size
  } catch (error) {
    if (error instanceof SpoolError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SpoolError('INVALID_INPUT', `${path} no longer exists`)
    if (code === 'EACCES' || code === 'EPERM') throw new SpoolError('FORBIDDEN_PATH', `Spool may not read ${path}`)
    throw error
  }
  if (size === 0 && !options.allowEmpty) throw new SpoolError('INVALID_INPUT', `${path} is empty (0 bytes)`)
  return size
}

export interface InputSnapshot {
  /** The bytes the file held when it was opened, no more: a file still being written is not read for ever. */
  stream: Readable
  size: number
  /** Refuses a result made from a file that changed while it was read: it would match no version of the file. */
  checkUnchanged(): void
}

/** Reads an input as it is now (call after `checkInputFile`). */
export function readInputAsIs(path: string): InputSnapshot {
  const before = statSync(path)
  return {
    stream: before.size > 0 ? createReadStream(path, { end: before.size - 1 }) : Readable.from([]),
    size: before.size,
    checkUnchanged() {
      const after = statSync(path)
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) {
        throw new SpoolError(
          'INVALID_INPUT',
          `${path} changed while it was read (${before.size} bytes, then ${after.size}): the result would match no version of it; try again once it is complete`,
        )
      }
    },
  }
}
