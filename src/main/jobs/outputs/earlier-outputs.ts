import { lstatSync } from 'node:fs'
import { z } from 'zod'

/**
 * The file a job is about to put in place, as the file system knows it: moving it into place (`link` or
 * `rename`) keeps its device, inode, size and modification time, so a later attempt can tell the file this job
 * placed from any other under the same name. A file the user made, or copied over it, or another job wrote, is
 * another inode; one edited in place has another size or time.
 */
export const placedFile = z.strictObject({
  dev: z.number(),
  ino: z.number(),
  size: z.number().nonnegative(),
  mtimeMs: z.number(),
})
export type PlacedFile = z.infer<typeof placedFile>

/** Where a job's attempts tell each other which outputs they placed (the job's row, through the host). */
export interface OutputRecord {
  /** Files earlier attempts of this job recorded before placing them: any may now be under an output name. */
  readonly earlier: readonly PlacedFile[]
  /** Records the files this attempt is about to place; resolves once the record is on disk. */
  record(files: readonly PlacedFile[]): Promise<void>
}

/**
 * An interrupted attempt (the app was killed, the power went) may have put outputs in place without its
 * success being saved; the job then runs again. Its new outputs take the names the earlier attempt's took,
 * replacing exactly those files, instead of adding "photo (1).webp" beside them. Each is taken once.
 */
export class EarlierOutputs {
  readonly #files: PlacedFile[]

  constructor(files: readonly PlacedFile[] = []) {
    this.#files = [...files]
  }

  /** Whether `path` is a file an earlier attempt placed, unchanged since. */
  holds(path: string): boolean {
    return this.#indexOf(path) >= 0
  }

  /** Whether `path` is a file an earlier attempt placed, unchanged since; it is then no longer offered. */
  take(path: string): boolean {
    const index = this.#indexOf(path)
    if (index >= 0) this.#files.splice(index, 1)
    return index >= 0
  }

  #indexOf(path: string): number {
    if (this.#files.length === 0) return -1
    let info
    try {
      info = lstatSync(path)
    } catch {
      return -1
    }
    if (!info.isFile()) return -1
    return this.#files.findIndex(
      (file) =>
        file.dev === info.dev && file.ino === info.ino && file.size === info.size && file.mtimeMs === info.mtimeMs,
    )
  }
}
