import { randomBytes } from 'node:crypto'
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { partFileName, sweepAbandonedParts } from './abandoned-parts'
import type { CollisionPolicy } from './output-options'
import { numberedName } from './output-name'
import { outputError } from './output-errors'

export interface OutputFile {
  path: string
  size: number
}

interface Staged {
  folder: string
  fileName: string
  tmpPath: string
  /** Set when the job wrote the file through `write`: its flush, started then. */
  flushed?: Promise<void>
}

/** File systems without hard links (FAT, some network shares) answer these to `link`. */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'])

/**
 * The outputs of one job. Each is written to a hidden temporary file beside its target; only when the whole
 * job has succeeded are they flushed and moved into place, so a failure or a cancel leaves nothing behind
 * (and an `overwrite` never destroys the old file for a conversion that did not finish).
 */
export class StagedOutputs {
  readonly #collision: CollisionPolicy
  readonly #staged: Staged[] = []
  readonly #skipped: string[] = []

  constructor(collision: CollisionPolicy) {
    this.#collision = collision
  }

  /** Files left alone because their name was taken and the policy is `skip`. */
  get skipped(): readonly string[] {
    return this.#skipped
  }

  /** Answers the temporary path to write, or null when the target exists and the policy is `skip`. */
  async stage(folder: string, fileName: string): Promise<string | null> {
    const target = join(folder, fileName)
    if (this.#collision === 'skip' && (await exists(target))) {
      this.#skipped.push(target)
      return null
    }
    const tmpPath = join(folder, partFileName(fileName, randomBytes(4).toString('hex')))
    try {
      // Made now, so an unwritable folder fails before any work is done; the folder only when missing.
      await createEmpty(tmpPath).catch(async (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        await mkdir(folder, { recursive: true })
        await createEmpty(tmpPath)
      })
      await sweepAbandonedParts(folder)
    } catch (error) {
      throw outputError(error, folder)
    }
    this.#staged.push({ folder, fileName, tmpPath })
    return tmpPath
  }

  /**
   * Writes a staged file whole and starts flushing it, so that the disk works while the job goes on to its
   * next file; `commit` waits for the flush.
   */
  async write(tmpPath: string, data: Uint8Array): Promise<void> {
    const staged = this.#staged.find((entry) => entry.tmpPath === tmpPath)
    if (!staged) throw new Error(`${tmpPath} is not a staged output`)
    // Each flush in flight holds a descriptor: a job of many small files waits for the oldest past a few.
    const inFlight = this.#staged.filter((entry) => entry.flushed)
    if (inFlight.length >= flushesAtOnce) await inFlight[inFlight.length - flushesAtOnce]!.flushed
    try {
      const handle = await open(tmpPath, 'w')
      try {
        await handle.writeFile(data)
      } catch (error) {
        await handle.close()
        throw error
      }
      staged.flushed = handle.sync().finally(() => handle.close())
    } catch (error) {
      throw outputError(error, staged.folder)
    }
    // Reported by `commit`; a job that fails or is cancelled first has no use for it.
    staged.flushed.catch(() => {})
  }

  /**
   * Flushes every staged file, then moves each to its name under the collision policy: a name never points
   * at data that is not on disk yet. Several flushes are in flight at once, so the disk takes them together.
   */
  async commit(): Promise<OutputFile[]> {
    await flushAll(this.#staged)
    const outputs: OutputFile[] = []
    for (const staged of this.#staged) {
      try {
        const path = await this.#place(staged)
        if (path) outputs.push({ path, size: (await stat(path)).size })
      } catch (error) {
        throw outputError(error, staged.folder)
      }
    }
    this.#staged.length = 0
    await Promise.all([...new Set(outputs.map((output) => join(output.path, '..')))].map(syncFolder))
    return outputs
  }

  /** Removes every temporary file not yet committed. */
  async discard(): Promise<void> {
    await Promise.all(this.#staged.splice(0).map((staged) => unlink(staged.tmpPath).catch(() => {})))
  }

  async #place(staged: Staged): Promise<string | null> {
    const target = join(staged.folder, staged.fileName)
    if (this.#collision === 'overwrite') {
      await rename(staged.tmpPath, target)
      return target
    }
    // `link` never replaces an existing file, so a name taken meanwhile by someone else is never clobbered.
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? target : join(staged.folder, numberedName(staged.fileName, n))
      try {
        await link(staged.tmpPath, candidate)
        await unlink(staged.tmpPath)
        return candidate
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'EEXIST') {
          if (!code || !noHardLinks.has(code)) throw error
          if (!(await exists(candidate))) {
            await rename(staged.tmpPath, candidate)
            return candidate
          }
        }
        if (this.#collision === 'skip') {
          this.#skipped.push(target)
          await unlink(staged.tmpPath)
          return null
        }
      }
    }
  }
}

async function createEmpty(path: string): Promise<void> {
  await (await open(path, 'wx')).close()
}

async function flushFile(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  await handle.sync().finally(() => handle.close())
}

/** Each flush holds a file descriptor until it ends: a job with thousands of outputs must not run out. */
const flushesAtOnce = 16

async function flushAll(staged: readonly Staged[]): Promise<void> {
  let next = 0
  const flushInTurn = async () => {
    for (let i = next++; i < staged.length; i = next++) {
      const { tmpPath, folder, flushed } = staged[i]!
      await (flushed ?? flushFile(tmpPath)).catch((error: unknown) => {
        throw outputError(error, folder)
      })
    }
  }
  await Promise.all(Array.from({ length: Math.min(flushesAtOnce, staged.length) }, flushInTurn))
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** Makes the renames durable; some platforms cannot open a folder, which is not worth failing the job for. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r')
    await handle.sync().finally(() => handle.close())
  } catch {
    // Best effort only.
  }
}
