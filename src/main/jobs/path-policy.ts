import { realpathSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { SpoolError } from '../../shared/errors'
import type { Grant } from '../db/granted-paths'

/** Resolves symlinks of the deepest part that exists, so a folder that is yet to be made still resolves. */
function realpathOfNearest(path: string): string {
  const missing: string[] = []
  let current = path
  for (;;) {
    try {
      return join(realpathSync.native(current), ...missing.reverse())
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      const parent = dirname(current)
      if (parent === current) throw error
      missing.push(basename(current))
      current = parent
    }
  }
}

function checkShape(path: string): void {
  if (typeof path !== 'string' || path.length === 0 || path.length > 4096 || path.includes('\0')) {
    throw new SpoolError('INVALID_INPUT', 'A path is empty, too long or contains a NUL character')
  }
  if (!isAbsolute(path)) throw new SpoolError('FORBIDDEN_PATH', `Not an absolute path: ${path}`)
}

/**
 * Which files jobs may touch: everything under the roots the host started with, plus single files and
 * folders the shell was handed (a dialog, a drop, a second instance). Compared after resolving symlinks,
 * so a link inside a root that points outside it does not open a way out.
 */
export class PathPolicy {
  /** Roots and granted folders, resolved: a path is allowed when one of its folders is here. */
  readonly #folders = new Set<string>()
  readonly #files = new Set<string>()

  constructor(roots: readonly string[] = []) {
    for (const root of roots) this.#folders.add(realpathSync.native(resolve(root)))
  }

  get roots(): readonly string[] {
    return [...this.#folders]
  }

  /** Grants every path or, when one is missing, none of them; answers them resolved, to be kept. */
  grant(paths: readonly string[]): Grant[] {
    const granted = paths.map((path) => {
      checkShape(path)
      try {
        const real = realpathSync.native(path)
        return { path: real, folder: statSync(real).isDirectory() }
      } catch {
        throw new SpoolError('INVALID_INPUT', `File not found: ${path}`)
      }
    })
    this.restore(granted)
    return granted
  }

  /**
   * Grants kept from an earlier run, as resolved then. Not resolved again: a granted folder since replaced by a
   * link to elsewhere allows nothing there, as what jobs name is resolved and compared with the path kept.
   */
  restore(grants: readonly Grant[]): void {
    for (const { path, folder } of grants) (folder ? this.#folders : this.#files).add(path)
  }

  /**
   * Answers the resolved path of a file the job will read; refuses what was never granted, and anything
   * but a regular file: reading a device never ends, and opening a FIFO blocks until someone writes to it.
   */
  checkRead(path: string): string {
    checkShape(path)
    let real: string
    try {
      real = realpathSync.native(path)
    } catch {
      throw new SpoolError('INVALID_INPUT', `File not found: ${path}`)
    }
    if (!this.#files.has(real) && !this.#allows(real)) {
      throw new SpoolError('FORBIDDEN_PATH', `Spool was not given access to ${path}`)
    }
    if (!statSync(real, { throwIfNoEntry: false })?.isFile()) {
      throw new SpoolError('INVALID_INPUT', `${path} is not a regular file (a folder, a device or a pipe)`)
    }
    return real
  }

  /** Answers the resolved folder a job will write into; refuses what was never granted. */
  checkWrite(path: string): string {
    checkShape(path)
    // The system follows a link before `..` steps out of it, while path.join drops `link/..` unseen: a
    // folder is allowed only when both readings of it are, whichever of them the writer ends up using.
    const real = resolvedFolder(path)
    const normal = resolve(path)
    const joined = normal === path ? real : resolvedFolder(normal)
    if (this.#allows(real) && this.#allows(joined)) return real
    throw new SpoolError('FORBIDDEN_PATH', `Spool was not given access to write in ${path}`)
  }

  /**
   * Whether a resolved path is a root or granted folder, or lies under one: its own folders are looked up, a
   * handful of steps however many folders were granted over the months.
   */
  #allows(real: string): boolean {
    for (let folder = real; ; folder = dirname(folder)) {
      if (this.#folders.has(folder)) return true
      if (dirname(folder) === folder) return false
    }
  }
}

function resolvedFolder(path: string): string {
  try {
    return realpathOfNearest(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SpoolError(
      'INVALID_INPUT',
      `Cannot write in ${path}: ${code === 'ENOTDIR' ? 'a part of it is not a folder' : `it cannot be resolved (${code})`}`,
    )
  }
}
