import Database from 'better-sqlite3'
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SpoolError } from '../../shared/errors'
import { clearDamageMark, damageMark, isDamage, isMarkedDamaged } from './damage-mark'
import { applicationId, migrations } from './migrations'
import { salvage, type Salvage } from './salvage'

export type SqliteDatabase = Database.Database

export interface OpenDatabaseOptions {
  /** Size limit in pages (of 4 KiB); writes past it fail with `SQLITE_FULL`. */
  maxPageCount?: number
}

function applyPragmas(db: SqliteDatabase, options: OpenDatabaseOptions): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  if (options.maxPageCount) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`)
}

function migrate(db: SqliteDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > migrations.length) {
    throw new SpoolError(
      'INVALID_INPUT',
      `The database ${db.name} was written by a newer Spool (schema ${version}); update Spool to open it, ` +
        'or start this one with a different data folder',
    )
  }
  // A file Spool may read but not write would show the queue and then lose every change made to it.
  db.pragma(`user_version = ${version}`)
  for (let next = version; next < migrations.length; next++) {
    db.transaction(() => {
      db.exec(migrations[next] as string)
      db.pragma(`user_version = ${next + 1}`)
    })()
  }
}

/** Where a data folder's database is. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'spool.db')
}

const notOurs = 'it is not a Spool database'

/**
 * A file that is not SQLite, is damaged, or belongs to another program. The full page check reads the whole
 * file (seconds for a large queue), so it runs only when damage is likely: after a session that did not close
 * cleanly (its log was left behind), or one that found damage while it ran (see `noteDamage`). Otherwise SQLite
 * reports damage when it reads it.
 */
function checkOwnership(db: SqliteDatabase, suspect: boolean): string | null {
  const owner = db.pragma('application_id', { simple: true }) as number
  const version = db.pragma('user_version', { simple: true }) as number
  const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }
  if (owner === 0 && version === 0 && tables.n === 0) {
    db.pragma(`application_id = ${applicationId}`)
    return null
  }
  if (owner !== applicationId) return notOurs
  if (!suspect) return null
  const check = db.pragma('quick_check', { simple: true }) as string
  if (check === 'ok') return null
  // SQLite heads its list with "*** in database main ***"; the first finding says enough.
  const finding = check.split('\n').find((line) => !line.startsWith('***'))
  return `it is damaged (${finding ?? check})`
}

function openChecked(file: string, options: OpenDatabaseOptions): SqliteDatabase {
  const afterCrash = existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0
  const db = new Database(file)
  try {
    const problem = checkOwnership(db, afterCrash || isMarkedDamaged(file))
    if (problem) throw new UnreadableDatabase(problem, problem === notOurs)
    applyPragmas(db, options)
    migrate(db)
    // Checked whole and found sound (the damage seen was in the log, or was mended since): nothing to check again.
    clearDamageMark(file)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/** The file's content is not a Spool database Spool can read: the only case where it is set aside. */
class UnreadableDatabase extends Error {
  /** Another program's file (or none SQLite can read), rather than a Spool database that is damaged. */
  readonly foreign: boolean

  constructor(problem: string, foreign: boolean) {
    super(problem)
    this.foreign = foreign
  }
}

/** Why the file's content cannot be used, and whether it is another program's; null for any other failure. */
function unreadable(error: unknown): { problem: string; foreign: boolean } | null {
  if (error instanceof UnreadableDatabase) return { problem: error.message, foreign: error.foreign }
  if (!isDamage(error)) return null
  // Not SQLite at all: nothing of it can be read back.
  const foreign = (error as { code?: unknown }).code === 'SQLITE_NOTADB'
  return { problem: `it is damaged (${(error as Error).message})`, foreign }
}

const storageCodes: Record<string, string> = {
  SQLITE_READONLY: 'it cannot be written (the file or its folder is read-only)',
  SQLITE_CANTOPEN: 'it cannot be opened (its folder is missing or cannot be written)',
  SQLITE_PERM: 'it may not be opened (permission denied)',
  SQLITE_IOERR: 'reading or writing it failed (a disk or file-system error)',
  EACCES: 'its folder may not be written (permission denied)',
  EPERM: 'its folder may not be written (permission denied)',
  EROFS: 'its folder is on a read-only file system',
  ENOTDIR: 'a file stands where its folder should be',
}

/**
 * A failure to reach the database file (not its content) as an error that names the file and what to do;
 * the file is left as it is. Anything else is passed on unchanged.
 */
export function storageError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown })?.code
  const known =
    typeof code === 'string' && (storageCodes[code] ?? (code.startsWith('SQLITE_IOERR') && storageCodes.SQLITE_IOERR))
  if (!known || code === 'SQLITE_BUSY') return error
  return new SpoolError(
    'UNAVAILABLE',
    `Spool cannot use ${file}: ${known}. Nothing was changed; make it writable, ` +
      'or start Spool with a different data folder',
    { file, cause: (error as Error).message },
  )
}

export interface OpenedDatabase {
  db: SqliteDatabase
  /** Where an unreadable file found at start was moved to, so nothing is overwritten. */
  setAside?: string
  problem?: string
  /** What of a damaged file was read back into the new database. */
  salvaged?: Salvage
}

/**
 * Opens (creating if needed) `dataDir/spool.db`. A corrupted or foreign file is never overwritten: it is
 * renamed beside itself with a timestamp and a fresh database is started, and the caller is told. Any other
 * failure to open is thrown as it is and moves nothing.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const file = databaseFile(dataDir)
  try {
    mkdirSync(dataDir, { recursive: true })
  } catch (error) {
    throw storageError(error, file)
  }
  try {
    return { db: openChecked(file, options) }
  } catch (error) {
    // Anything else (no permission, a missing native addon, a newer schema) must reach the user as it is,
    // with their data left exactly where it was.
    const found = unreadable(error)
    if (found === null) throw storageError(error, file)
    const { problem, foreign } = found
    const setAside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(file, setAside)
    // Its log and index go with it, and the mark of damage found while it was in use: it is told already.
    for (const beside of [`${file}-wal`, `${file}-shm`, damageMark(file)]) {
      if (existsSync(beside)) renameSync(beside, setAside + beside.slice(file.length))
    }
    const db = openChecked(file, options)
    // A damaged Spool database still holds jobs on its sound pages; another program's file is none of ours.
    if (foreign) return { db, setAside, problem }
    return { db, setAside, problem, salvaged: salvage(setAside, db) }
  }
}
