import { realpathSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { SpoolError } from '../../shared/errors'

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

function isInside(path: string, folder: string): boolean {
  if (path === folder) return true
  const rel = relative(folder, path)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
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
  readonly #folders: string[] = []
  readonly #files = new Set<string>()

  constructor(roots: readonly string[] = []) {
    for (const root of roots) this.#folders.push(realpathSync.native(resolve(root)))
  }

  get roots(): readonly string[] {
    return this.#folders
  }

  grant(paths: readonly string[]): void {
    for (const path of paths) {
      checkShape(path)
      const real = realpathSync.native(path)
      if (statSync(real).isDirectory()) this.#folders.push(real)
      else this.#files.add(real)
    }
  }

  /** Answers the resolved path of a file the job will read; refuses what was never granted. */
  checkRead(path: string): string {
    checkShape(path)
    let real: string
    try {
      real = realpathSync.native(path)
    } catch {
      throw new SpoolError('INVALID_INPUT', `File not found: ${path}`)
    }
    if (this.#files.has(real) || this.#folders.some((folder) => isInside(real, folder))) return real
    throw new SpoolError('FORBIDDEN_PATH', `Spool was not given access to ${path}`)
  }

  /** Answers the resolved folder a job will write into; refuses what was never granted. */
  checkWrite(path: string): string {
    checkShape(path)
    const real = realpathOfNearest(resolve(path))
    if (this.#folders.some((folder) => isInside(real, folder))) return real
    throw new SpoolError('FORBIDDEN_PATH', `Spool was not given access to write in ${path}`)
  }
}
