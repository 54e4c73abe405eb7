import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { SpoolError } from '../../shared/errors'

const damageCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB'])

/** SQLite found the file's content damaged (a disk that failed, a file changed by another program). */
export function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && damageCodes.has(code)
}

/** Beside a database found damaged while in use: the next open reads every page of it (see `openDatabase`). */
export function damageMark(file: string): string {
  return `${file}-damaged`
}

export function isMarkedDamaged(file: string): boolean {
  return existsSync(damageMark(file))
}

export function clearDamageMark(file: string): void {
  rmSync(damageMark(file), { force: true })
}

/**
 * Damage found while Spool runs: the file is marked for a full check at the next start, which keeps a damaged
 * database aside (see `openDatabase`), and the error becomes one that tells the user what happened and what to
 * do. Any other error is answered as it is.
 */
export function noteDamage(file: string, error: unknown): unknown {
  if (!isDamage(error)) return error
  const found = error instanceof Error ? error.message : String(error)
  try {
    writeFileSync(damageMark(file), `${new Date().toISOString()} ${found}\n`, { flag: 'a' })
  } catch {
    // A folder that cannot be written: the check at the next start is lost, the answer below is not.
  }
  return new SpoolError(
    'UNAVAILABLE',
    `Spool's database is damaged (${found}). Quit and start Spool again: it checks the database as it starts, ` +
      'keeps a damaged one aside and starts a new one with every job it can still read from it',
    { file },
  )
}
