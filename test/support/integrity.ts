import Database from 'better-sqlite3'
import { join } from 'node:path'

/** What SQLite's `integrity_check` says of the queue's database in `dataDir` ("ok" when it is sound). */
export function integrity(dataDir: string): unknown {
  const db = new Database(join(dataDir, 'spool.db'))
  try {
    return db.pragma('integrity_check', { simple: true })
  } finally {
    db.close()
  }
}
