import { randomBytes } from 'node:crypto'
import {
  constants,
  createWriteStream,
  fstatSync,
  linkSync,
  lstatSync,
  renameSync,
  statSync,
  unlinkSync,
  type WriteStream,
} from 'node:fs'
import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { SpoolError } from '../../../shared/errors'
import { partFileName, sweepAbandonedParts } from './abandoned-parts'
import { EarlierOutputs, type OutputRecord, type PlacedFile } from './earlier-outputs'
import { flushAll, flushAndClose, flushesAtOnce, identify, syncFolder } from './output-flush'
import type { CollisionPolicy } from './output-options'
import { numberedName } from './output-name'
import { outputError } from './output-errors'

export interface OutputFile {
  path: string
  size: number
}

/** A staged output: the job writes it through `handle` only, never by its name. */
export interface StagedFile {
  /** The temporary name, for messages; anyone able to write in the folder can swap what it points at. */
  readonly tmpPath: string
  /** Opened by exclusive create without following a symlink, so it is the file Spool made. */
  readonly handle: FileHandle
}

interface Staged extends StagedFile {
  folder: string
  fileName: string
  /** Which file the handle holds, to tell whether the name still means it when it is moved into place. */
  dev: number
  ino: number
  /** Set when the job wrote the file through `write`: its flush (through the handle, which it then closes). */
  flushed?: Promise<void>
  /** How many bytes `write` wrote: the output's size, known without asking the file system again. */
  size?: number
  /** Set once the file is identified; see `identify`. */
  identified?: Promise<void>
  /** The file as written, recorded for the job before it is placed. */
  placed?: PlacedFile
}

/**
 * A stream into a staged file, through its descriptor (the path only names the stream). The outputs flush and
 * close the file: a FileHandle's own stream would hold the handle, and its close would wait for ever.
 */
export function stagedWriteStream(file: StagedFile): WriteStream {
  return createWriteStream(file.tmpPath, { fd: file.handle.fd, autoClose: false })
}

/** Exclusive create refuses any existing name, a symlink included; O_NOFOLLOW says so twice where it exists. */
const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)

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
  readonly #record: OutputRecord | undefined
  readonly #earlier: EarlierOutputs

  /** `record`: where the job keeps the files it places, so that a run again after a crash replaces its own. */
  constructor(collision: CollisionPolicy, record?: OutputRecord) {
    this.#collision = collision
    this.#record = record
    this.#earlier = new EarlierOutputs(record?.earlier)
  }

  /** Files left alone because their name was taken and the policy is `skip`. */
  get skipped(): readonly string[] {
    return this.#skipped
  }

  /** Answers the staged file to write, or null when the target exists and the policy is `skip`. */
  async stage(folder: string, fileName: string): Promise<StagedFile | null> {
    const target = join(folder, fileName)
    if (this.#collision === 'skip' && exists(target) && !this.#earlier.holds(target)) {
      this.#skipped.push(target)
      return null
    }
    const tmpPath = join(folder, partFileName(fileName, randomBytes(4).toString('hex')))
    let handle: FileHandle
    try {
      // Made now, so an unwritable folder fails before any work is done; the folder only when missing.
      handle = await open(tmpPath, createFlags, 0o666).catch(async (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        await mkdir(folder, { recursive: true })
        return open(tmpPath, createFlags, 0o666)
      })
    } catch (error) {
      throw outputError(error, folder)
    }
    const staged: Staged = { folder, fileName, tmpPath, handle, dev: 0, ino: 0 }
    this.#staged.push(staged)
    try {
      Object.assign(staged, identity(handle))
      await sweepAbandonedParts(folder)
    } catch (error) {
      throw outputError(error, folder)
    }
    return staged
  }

  /**
   * Writes a staged file whole and starts flushing it, so that the disk works while the job goes on to its
   * next file; `commit` waits for the flush.
   */
  async write(file: StagedFile, data: Uint8Array): Promise<void> {
    const staged = this.#staged.find((entry) => entry === file)
    if (!staged) throw new Error(`${file.tmpPath} is not a staged output`)
    // Each flush in flight holds a descriptor: a job of many small files waits for the oldest past a few.
    const inFlight = this.#staged.filter((entry) => entry.flushed)
    if (inFlight.length >= flushesAtOnce) await inFlight[inFlight.length - flushesAtOnce]!.flushed
    try {
      await staged.handle.writeFile(data)
      staged.size = data.byteLength
    } catch (error) {
      throw outputError(error, staged.folder)
    }
    staged.flushed = flushAndClose(staged)
    // Reported by `commit`; a job that fails or is cancelled first has no use for it.
    staged.flushed.catch(() => {})
  }

  /**
   * Flushes every staged file, then moves each to its name under the collision policy: a name never points
   * at data that is not on disk yet. Several flushes are in flight at once, so the disk takes them together.
   * The moves and checks are calls of a few microseconds each, made directly: sent to the thread pool one by
   * one, each would cost a round trip, and a CPU-bound job pays for every one.
   *
   * A cancel (`signal`) that arrives while the files flush still stops the job, with nothing put in place; once
   * the first file is moved, the job has succeeded and the moves go on to the end.
   *
   * Before the first move, the files are recorded with the job (and the record is on disk): if the app dies
   * after a move but before the job's success is saved, the job's next attempt knows these files as its own.
   */
  async commit(signal?: AbortSignal): Promise<OutputFile[]> {
    // The record travels while the files flush: only the moves must wait for both.
    const record = this.#record
    const staged = this.#staged
    const recorded =
      record && staged.length > 0
        ? Promise.all(staged.map(identify)).then(() =>
            record.record(staged.flatMap((entry) => (entry.placed ? [entry.placed] : []))),
          )
        : undefined
    // Reported below, once the flushes are done; a flush that fails first fails the job.
    recorded?.catch(() => {})
    await flushAll(staged)
    signal?.throwIfAborted()
    await recorded
    signal?.throwIfAborted()
    const outputs: OutputFile[] = []
    const placed = new Set<string>()
    for (const staged of this.#staged) {
      try {
        const path = this.#place(staged, placed)
        if (path) {
          placed.add(path)
          outputs.push({ path, size: staged.size ?? statSync(path).size })
        }
      } catch (error) {
        throw outputError(error, staged.folder)
      }
    }
    this.#staged.length = 0
    await Promise.all([...new Set(outputs.map((output) => join(output.path, '..')))].map(syncFolder))
    return outputs
  }

  /** Removes every temporary file not yet committed (a name that no longer means it is left alone). */
  async discard(): Promise<void> {
    await Promise.all(
      this.#staged.splice(0).map(async (staged) => {
        await (staged.flushed ?? staged.handle.close()).catch(() => {})
        if (isStill(staged)) quietly(() => unlinkSync(staged.tmpPath))
      }),
    )
  }

  /**
   * The policy is about files that were there before: a name an earlier output of this same job took (two
   * inputs called "photo" in different folders, converted into one) is always numbered, never replaced or
   * skipped, so each input's output survives. A name that holds what an interrupted earlier attempt of this job
   * placed was not there before either: it is replaced, under `rename` and `skip` alike.
   */
  #place(staged: Staged, placed: ReadonlySet<string>): string | null {
    const target = join(staged.folder, staged.fileName)
    const collision = placed.has(target) ? 'rename' : this.#collision
    // The name is what `link` and `rename` move: it must still be the file the job wrote, not one put there since.
    if (!isStill(staged)) {
      throw new SpoolError(
        'FORBIDDEN_PATH',
        `The temporary file for ${staged.fileName} in ${staged.folder} was replaced while the job wrote it; nothing was put in place`,
      )
    }
    if (collision === 'overwrite') {
      // Replacing means a file for a file: a folder of the same name, and all it holds, is never put aside.
      if (quietly(() => lstatSync(target))?.isDirectory()) {
        throw new SpoolError('OUTPUT_EXISTS', `${target} is a folder; it was left as it is and nothing was written`)
      }
      renameSync(staged.tmpPath, target)
      return target
    }
    // `link` never replaces an existing file, so a name taken meanwhile by someone else is never clobbered.
    for (let n = 0; ; n++) {
      const candidate = n === 0 ? target : join(staged.folder, numberedName(staged.fileName, n))
      try {
        linkSync(staged.tmpPath, candidate)
        unlinkSync(staged.tmpPath)
        return candidate
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'EEXIST') {
          if (!code || !noHardLinks.has(code)) throw error
          if (!exists(candidate)) {
            renameSync(staged.tmpPath, candidate)
            return candidate
          }
        }
        if (this.#earlier.take(candidate)) {
          renameSync(staged.tmpPath, candidate)
          return candidate
        }
        if (collision === 'skip') {
          this.#skipped.push(target)
          unlinkSync(staged.tmpPath)
          return null
        }
      }
    }
  }
}

function identity(handle: FileHandle): { dev: number; ino: number } {
  const { dev, ino } = fstatSync(handle.fd)
  return { dev, ino }
}

function isStill(staged: Staged): boolean {
  const info = quietly(() => lstatSync(staged.tmpPath))
  return info !== undefined && info.isFile() && info.dev === staged.dev && info.ino === staged.ino
}

/** What `call` answers, or undefined where it fails (a name gone, or not ours to see). */
function quietly<T>(call: () => T): T | undefined {
  try {
    return call()
  } catch {
    return undefined
  }
}

function exists(path: string): boolean {
  return quietly(() => statSync(path)) !== undefined
}
