import Database from 'better-sqlite3'
import type { SqliteDatabase } from './open-database'

/** What could be read back from a damaged database. */
export interface Salvage {
  /** Jobs copied into the new database, with their ids. */
  jobs: number
  /** Ranges of ids the damage kept from being read (jobs in them may be lost, or may never have existed). */
  unreadable: { from: number; to: number }[]
}

/** Rows read at a time: a read that meets damage keeps the rows it read before it. */
const chunk = 500
/** Tables copied whole when they can be read: the files the user handed Spool, and the queue's settings. */
const smallTables = ['grants', 'queue_settings']

function columnsOf(db: SqliteDatabase, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name)
}

/** The columns both databases have: the damaged one may be of an earlier schema. */
function sharedColumns(from: SqliteDatabase, into: SqliteDatabase, table: string): string[] {
  const wanted = new Set(columnsOf(into, table))
  return columnsOf(from, table).filter((name) => wanted.has(name))
}

/** Copies a small table whole, or nothing of it if it cannot be read: the jobs matter more. */
function copyTable(from: SqliteDatabase, into: SqliteDatabase, table: string): void {
  try {
    const columns = sharedColumns(from, into, table)
    const rows = from
      .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
      .raw()
      .all() as unknown[][]
    const values = columns.map(() => '?').join(', ')
    const copy = into.prepare(`INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${values})`)
    for (const row of rows) copy.run(row)
  } catch {
    // On a damaged page, or missing from an earlier schema.
  }
}

/** The highest id the damaged file ever gave a job, if it can still say: no job lies beyond it. */
function lastId(from: SqliteDatabase): number | null {
  try {
    const seq = from.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'jobs'`).pluck().get()
    return typeof seq === 'number' ? seq : null
  } catch {
    return null
  }
}

/**
 * Copies the jobs the damaged file at `file` still holds readable into `into` (a new database, empty), with
 * their ids, then the small tables: a damaged page loses the jobs on it, not the whole queue. Jobs are read in
 * id order; where a read meets damage, the next readable id is searched for (doubling the step, then halving
 * back), so healthy pages after the damage are all read. Answers what was copied; a file SQLite cannot open at
 * all gives nothing.
 */
export function salvage(file: string, into: SqliteDatabase): Salvage {
  const result: Salvage = { jobs: 0, unreadable: [] }
  let from: SqliteDatabase
  try {
    from = new Database(file, { readonly: true, fileMustExist: true })
  } catch {
    return result
  }
  try {
    // One transaction: all or nothing (a full disk midway leaves the new database as empty as it began).
    into.transaction(() => {
      copyJobs(from, into, result)
      for (const table of smallTables) copyTable(from, into, table)
    })()
    return result
  } catch {
    // Its tables cannot be read at all (its schema is damaged), or the new database cannot be written (a full
    // disk): nothing was copied.
    return { jobs: 0, unreadable: [] }
  } finally {
    from.close()
  }
}

/** The jobs of `salvage`, in id order, stepping over the damage; counts them into `result`. */
function copyJobs(from: SqliteDatabase, into: SqliteDatabase, result: Salvage): void {
  const columns = sharedColumns(from, into, 'jobs')
  if (!columns.includes('id')) return
  const list = columns.join(', ')
  const read = from.prepare(`SELECT ${list} FROM jobs WHERE id > ? ORDER BY id LIMIT ?`).raw()
  const write = into.prepare(`INSERT INTO jobs (${list}) VALUES (${columns.map(() => '?').join(', ')})`)
  const idAt = columns.indexOf('id')
  const last = lastId(from)
  const readable = (after: number) => {
    try {
      read.all(after, 1)
      return true
    } catch {
      return false
    }
  }
  let after = 0
  for (;;) {
    const rows: unknown[][] = []
    let failed = false
    try {
      for (const row of read.iterate(after, chunk) as Iterable<unknown[]>) rows.push(row)
    } catch {
      failed = true
    }
    for (const row of rows) {
      try {
        write.run(row)
        result.jobs++
      } catch (error) {
        // A row whose values the schema refuses (damage that left the page readable) is left out.
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) throw error
      }
    }
    if (rows.length > 0) after = rows[rows.length - 1]![idAt] as number
    if (!failed) {
      if (rows.length < chunk) break
      continue
    }
    // The page after `after` is damaged: find the first id from which reading works again.
    let step = 1
    while (after + step <= (last ?? Number.MAX_SAFE_INTEGER) && !readable(after + step)) step *= 2
    if (after + step > (last ?? Number.MAX_SAFE_INTEGER)) {
      // Nothing readable up to the last id: the rest is lost.
      if (last !== null && after < last) result.unreadable.push({ from: after + 1, to: last })
      break
    }
    let low = step / 2
    let high = step
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2)
      if (readable(after + middle)) high = middle
      else low = middle
    }
    result.unreadable.push({ from: after + 1, to: Math.min(after + high, last ?? Infinity) })
    after += high
  }
}

/** What was read back, for the notice at start: how many jobs, and which ids could not be read. */
export function salvageText(salvaged: Salvage): string {
  const jobs = `${salvaged.jobs.toLocaleString('en-US')} ${salvaged.jobs === 1 ? 'job' : 'jobs'}`
  const ranges = salvaged.unreadable.map(({ from, to }) => (from === to ? `#${from}` : `#${from}–#${to}`))
  const shown = ranges.length > 5 ? [...ranges.slice(0, 5), `${ranges.length - 5} more ranges`] : ranges
  return `with the ${jobs} read back from it${shown.length > 0 ? `; jobs ${shown.join(', ')} could not be read` : ''}`
}
