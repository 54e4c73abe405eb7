import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrations } from '../src/main/db/migrations'
import { openDatabase, type SqliteDatabase } from '../src/main/db/open-database'
import { finishedRow, type FixtureRow } from './fixture-rows'

const fixtures = fileURLToPath(new URL('./results/fixtures/', import.meta.url))
/** Changes with the schema or with what the generators write, so a stale cached file is never reused. */
const version = createHash('sha1')
  .update(migrations.join('\n'))
  .update(finishedRow.toString())
  .update('2')
  .digest('hex')
  .slice(0, 10)

const insertSql = `INSERT INTO jobs (id, kind, label, state, input, priority, attempts, max_attempts, interruptions,
  progress, result, error, log, created_at, started_at, finished_at, run_after)
  VALUES (@id, @kind, @label, @state, @input, 0, @attempts, 1, 0, @progress, @result, @error, @log,
  @created_at, @started_at, @finished_at, NULL)`

function build(file: string, rows: (insert: (row: FixtureRow) => void) => void): void {
  const dir = mkdtempSync(`${file}.building-`)
  const { db } = openDatabase(dir)
  try {
    // Built once, in one go: no journal while it is written (Spool's WAL mode is restored after), and the
    // schema's indexes dropped first and made again at the end, which is twice as fast as keeping them.
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.pragma('cache_size = -262144')
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'jobs' AND sql IS NOT NULL`)
      .all() as { name: string; sql: string }[]
    const insert = db.prepare(insertSql)
    db.transaction(() => {
      for (const index of indexes) db.exec(`DROP INDEX ${index.name}`)
      rows((row) => insert.run(row))
      for (const index of indexes) db.exec(index.sql)
    })()
    db.pragma('journal_mode = WAL')
  } finally {
    db.close()
  }
  renameSync(join(dir, 'spool.db'), file)
  rmSync(dir, { recursive: true, force: true })
}

/** A Spool database built once by `rows` and cached under bench/results/fixtures; answers its path. */
export function cachedDatabase(name: string, rows: (insert: (row: FixtureRow) => void) => void): string {
  mkdirSync(fixtures, { recursive: true })
  const file = join(fixtures, `${name}-${version}.db`)
  if (!existsSync(file)) build(file, rows)
  return file
}

/** Puts a copy of a cached database into `dataDir`, as the `spool.db` a Spool opened there will find. */
export function copyDatabase(file: string, dataDir: string): void {
  mkdirSync(dataDir, { recursive: true })
  copyFileSync(file, join(dataDir, 'spool.db'))
}

/** `count` finished jobs of every kind, mostly succeeded, as months of use leave them. */
export function finishedJobs(count: number): string {
  return cachedDatabase(`finished-${count}`, (insert) => {
    for (let id = 1; id <= count; id++) insert(finishedRow(id))
  })
}

/** Jobs as a crash leaves them: `interrupted` still marked running, then `queued` waiting. */
export function crashedQueue(queued: number, interrupted: number): string {
  const base = Date.UTC(2026, 0, 1)
  return cachedDatabase(`crashed-${queued}-${interrupted}`, (insert) => {
    for (let id = 1; id <= queued + interrupted; id++) {
      const running = id <= interrupted
      insert({
        id,
        kind: 'debug.sleep',
        label: `Sleep ${id}`,
        state: running ? 'running' : 'queued',
        input: '{"ms":0,"steps":1}',
        attempts: running ? 1 : 0,
        progress: running ? '{"fraction":0.5}' : null,
        result: null,
        error: null,
        log: null,
        created_at: base + id,
        started_at: running ? base + id + 1 : null,
        finished_at: null,
      })
    }
  })
}

export type { SqliteDatabase }
