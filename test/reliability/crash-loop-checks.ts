// What the crash loop checks in the database and in /proc once its host is gone.
import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isAlive } from '../support/processes'

/** Alive and still the sleeper a `debug.fail` job started, not a process that reused its pid since. */
export function isJobChild(pid: number): boolean {
  try {
    return isAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('setInterval')
  } catch {
    return false
  }
}

export function describeProcess(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return `state ${stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)}, parent ${stat.slice(stat.lastIndexOf(')') + 4).split(' ')[0]}`
  } catch {
    return 'gone'
  }
}

export function readRows(dataDir: string) {
  const db = new Database(join(dataDir, 'spool.db'), { readonly: true })
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      rows: db
        .prepare(
          `SELECT id, kind, state, attempts, max_attempts, interruptions, error, log,
                  created_at, started_at, finished_at FROM jobs ORDER BY id`,
        )
        .all() as {
        id: number
        kind: string
        state: string
        attempts: number
        max_attempts: number
        interruptions: number
        error: string | null
        log: string | null
        created_at: number
        started_at: number | null
        finished_at: number | null
      }[],
    }
  } finally {
    db.close()
  }
}

/** Every submitted job once, final, completed at most once, with attempts its interruptions explain. */
export function checkRows(
  ids: string[],
  rows: ReturnType<typeof readRows>['rows'],
  succeededEvents: Map<string, number>,
  kills: number,
  concurrency: number,
): { violations: string[] } {
  const violations: string[] = []
  if (rows.length !== ids.length) violations.push(`${rows.length} rows for ${ids.length} submitted jobs`)
  const byId = new Map(rows.map((row) => [String(row.id), row]))
  const missing = ids.filter((id) => !byId.has(id))
  if (missing.length) violations.push(`jobs lost: ${missing.slice(0, 20).join(', ')}`)
  let interruptions = 0
  for (const row of rows) {
    const id = String(row.id)
    interruptions += row.interruptions
    const code = row.error ? (JSON.parse(row.error) as { code: string }).code : undefined
    const expected =
      row.state === 'succeeded'
        ? row.kind === 'debug.sleep'
        : row.state === 'failed' && (code === 'INTERRUPTED' || (row.kind === 'debug.fail' && code === 'HANDLER_ERROR'))
    if (!expected) violations.push(`job ${id} (${row.kind}) ended ${row.state} ${code ?? ''}`)
    if ((code === 'INTERRUPTED') !== row.interruptions >= 3) {
      violations.push(`job ${id} ended ${code ?? row.state} after ${row.interruptions} interruptions`)
    }
    // At least once: a job a kill caught ran again, once per interruption, unless it was given up on.
    if (row.attempts !== row.interruptions + (code === 'INTERRUPTED' ? 0 : 1)) {
      violations.push(`job ${id} has ${row.attempts} attempts for ${row.interruptions} interruptions`)
    }
    const reported = succeededEvents.get(id) ?? 0
    if (reported > 1) violations.push(`job ${id} was reported succeeded ${reported} times`)
    if (reported > 0 && row.state !== 'succeeded')
      violations.push(`job ${id} was reported succeeded but is ${row.state}`)
    if (row.state === 'succeeded' && (row.started_at === null || row.finished_at === null)) {
      violations.push(`succeeded job ${id} lacks startedAt or finishedAt`)
    } else if (row.state === 'succeeded' && row.finished_at! < row.started_at!) {
      violations.push(`job ${id} finished before it started`)
    }
    if (row.started_at !== null && row.started_at < row.created_at) violations.push(`job ${id} started before created`)
  }
  if (interruptions > kills * concurrency) {
    violations.push(`${interruptions} interruptions from ${kills} kills at concurrency ${concurrency}`)
  }
  return { violations }
}
