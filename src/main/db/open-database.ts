import Database from 'better-sqlite3'
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SpoolError } from '../../shared/errors'
import { applicationId, migrations } from './migrations'

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
      `The database was written by a newer Spool (schema ${version}); update Spool to open it`,
    )
  }
  for (let next = version; next < migrations.length; next++) {
    db.transaction(() => {
      db.exec(migrations[next] as string)
      db.pragma(`user_version = ${next + 1}`)
    })()
  }
}

/**
 * A file that is not SQLite, is damaged, or belongs to another program. The full page check reads the whole
 * file (seconds for a large queue), so it runs only after a session that did not close cleanly (its log was
 * left behind): that is when a damaged file is likely. Otherwise SQLite reports damage when it reads it.
 */
function checkOwnership(db: SqliteDatabase, afterCrash: boolean): string | null {
  const owner = db.pragma('application_id', { simple: true }) as number
  const version = db.pragma('user_version', { simple: true }) as number
  const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }
  if (owner === 0 && version === 0 && tables.n === 0) {
    db.pragma(`application_id = ${applicationId}`)
    return null
  }
  if (owner !== applicationId) return 'it is not a Spool database'
  if (!afterCrash) return null
  const check = db.pragma('quick_check', { simple: true }) as string
  return check === 'ok' ? null : `it is damaged (${check.split('\n').slice(0, 2).join('; ')})`
}

function openChecked(file: string, options: OpenDatabaseOptions): SqliteDatabase {
  const afterCrash = existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0
  const db = new Database(file)
  try {
    const problem = checkOwnership(db, afterCrash)
    if (problem) throw new UnreadableDatabase(problem)
    applyPragmas(db, options)
    migrate(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/** The file's content is not a Spool database Spool can read: the only case where it is set aside. */
class UnreadableDatabase extends Error {}

const unreadableCodes = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

function unreadableProblem(error: unknown): string | null {
  if (error instanceof UnreadableDatabase) return error.message
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && unreadableCodes.has(code) ? `it is damaged (${(error as Error).message})` : null
}

export interface OpenedDatabase {
  db: SqliteDatabase
  /** Where an unreadable file found at start was moved to, so nothing is overwritten. */
  setAside?: string
  problem?: string
}

/**
 * Opens (creating if needed) `dataDir/spool.db`. A corrupted or foreign file is never overwritten: it is
 * renamed beside itself with a timestamp and a fresh database is started, and the caller is told. Any other
 * failure to open is thrown as it is and moves nothing.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'spool.db')
  try {
    return { db: openChecked(file, options) }
  } catch (error) {
    // Anything else (no permission, a missing native addon, a newer schema) must reach the user as it is,
    // with their data left exactly where it was.
    const problem = unreadableProblem(error)
    if (problem === null) throw error
    const setAside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(file, setAside)
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, setAside + suffix)
    }
    return { db: openChecked(file, options), setAside, problem }
  }
}
