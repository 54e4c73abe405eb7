import { closeSync, fsync, openSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import type { PlacedFile } from './earlier-outputs'
import { outputError } from './output-errors'

/** A staged output as its flush sees it. */
export interface FlushedFile {
  readonly handle: FileHandle
  readonly folder: string
  /** Set once its flush started; settles when the file is on disk and closed. */
  flushed?: Promise<void>
  /** Set once the file is identified (its writing done): `placed` is then known. */
  identified?: Promise<void>
  /** The file as written, recorded for the job before it is placed. */
  placed?: PlacedFile
}

/**
 * Notes which file the staged output is, once written (what a later attempt will recognise): device, inode,
 * size and modification time, none of which its flush changes. Known before the flush ends, so the record can
 * travel while the disk works.
 */
export function identify(staged: FlushedFile): Promise<void> {
  return (staged.identified ??= staged.handle.stat().then(({ dev, ino, size, mtimeMs }) => {
    staged.placed = { dev, ino, size, mtimeMs }
  }))
}

/** Identifies a staged file, flushes it through its own handle (never a descriptor opened again by name), then closes it. */
export function flushAndClose(staged: FlushedFile): Promise<void> {
  const { handle } = staged
  return identify(staged)
    .then(() => handle.sync())
    .finally(() => handle.close())
}

/** Each flush holds a file descriptor until it ends: a job with thousands of outputs must not run out. */
export const flushesAtOnce = 16

export async function flushAll(staged: readonly FlushedFile[]): Promise<void> {
  let next = 0
  const flushInTurn = async () => {
    for (let i = next++; i < staged.length; i = next++) {
      const entry = staged[i]!
      entry.flushed ??= flushAndClose(entry)
      await entry.flushed.catch((error: unknown) => {
        throw outputError(error, entry.folder)
      })
    }
  }
  await Promise.all(Array.from({ length: Math.min(flushesAtOnce, staged.length) }, flushInTurn))
}

/** Makes the renames durable; some platforms cannot open a folder, which is not worth failing the job for. */
export async function syncFolder(folder: string): Promise<void> {
  let fd: number
  try {
    fd = openSync(folder, 'r')
  } catch {
    return
  }
  // Only the flush waits for the disk, so only it goes to the thread pool.
  await new Promise<void>((resolve) => fsync(fd, () => resolve()))
  closeSync(fd)
}
