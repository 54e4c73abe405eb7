import Database from 'better-sqlite3'
import { mkdirSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { SpoolError } from '../../shared/errors'
import { storageError } from './open-database'

/**
 * Every lock held in this process. A connection nothing refers to is closed when it is garbage collected, and
 * with it the lock: a host that keeps its jobs running but no longer refers to its Spool must still hold it.
 */
const held = new Set<Database.Database>()

/**
 * Holds `dataDir` for one Spool at a time. Two Spools on one queue (the app and `npm run serve` given its
 * folder, or two web hosts) would each take the other's running jobs for crashed ones and run them again.
 *
 * The hold is an exclusive SQLite lock on `spool.lock`, kept open until `release`: the system drops it when
 * the process ends however it ends (SIGKILL, power loss), so there is never a stale lock to clear, and it is
 * the same lock on every platform SQLite runs on. A second connection in the same process is refused too.
 */
export class DataDirLock {
  readonly #db: Database.Database

  private constructor(db: Database.Database) {
    this.#db = db
  }

  static acquire(dataDir: string): DataDirLock {
    const file = join(dataDir, 'spool.lock')
    try {
      mkdirSync(dataDir, { recursive: true })
      return new DataDirLock(hold(file))
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw refusal(error, dataDir, file)
    }
    // Its content means nothing, but SQLite reads it. Emptied by name (opening it here and closing it again
    // would drop a hold this process has on it); a Spool holding it keeps its hold, and this one is refused.
    truncateSync(file)
    try {
      return new DataDirLock(hold(file))
    } catch (error) {
      throw refusal(error, dataDir, file)
    }
  }

  release(): void {
    held.delete(this.#db)
    if (this.#db.open) this.#db.close()
  }
}

function hold(file: string): Database.Database {
  // A Spool that was just closed or killed may take a moment to be gone.
  const db = new Database(file, { timeout: 1_000 })
  try {
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    db.close()
    throw error
  }
  held.add(db)
  return db
}

function refusal(error: unknown, dataDir: string, file: string): unknown {
  if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') return storageError(error, file)
  return new SpoolError(
    'UNAVAILABLE',
    `Another Spool is already using the data folder ${dataDir} (it holds ${file}); ` +
      'use that one, or close it first, or start this one with a different data folder',
    { file },
  )
}
