import type { Job, JobCounts, JobState } from '../../shared/job'
import { emptyCounts } from '../../shared/job'
import { answerChars, jobColumns, readWithin, rowToJob } from './job-row'
import type { SqliteDatabase } from './open-database'

// The reads behind a snapshot: how many jobs are in each state, which run or wait next, which ended last.

export function readCounts(db: SqliteDatabase): JobCounts {
  const counts = emptyCounts()
  const rows = db.prepare(`SELECT state, count(*) AS n FROM jobs GROUP BY state`).all() as {
    state: JobState
    n: number
  }[]
  for (const row of rows) counts[row.state] = row.n
  return counts
}

/**
 * Running jobs first, then queued ones in the order they will start: at most `limit`, and no more than
 * `answerChars` of job data.
 */
export function readActive(db: SqliteDatabase, limit: number): Job[] {
  const running = readWithin(
    db.prepare(`SELECT ${jobColumns} FROM jobs WHERE state = 'running' ORDER BY id LIMIT ?`).iterate(limit),
    limit,
    answerChars,
  )
  const left = limit - running.rows.length
  const queued =
    running.full || left <= 0
      ? []
      : readWithin(
          db
            .prepare(
              `SELECT ${jobColumns} FROM jobs INDEXED BY jobs_queued_order WHERE state = 'queued' ORDER BY priority DESC, id ASC LIMIT ?`,
            )
            .iterate(left),
          left,
          answerChars - running.chars,
        ).rows
  return [...running.rows, ...queued].map((row) => rowToJob(row))
}

/** The jobs finished last, newest first: at most `limit`, and no more than `answerChars` of job data. */
export function readRecent(db: SqliteDatabase, limit: number): Job[] {
  const rows = db
    .prepare(`SELECT ${jobColumns} FROM jobs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT ?`)
    .iterate(limit)
  return readWithin(rows, limit, answerChars).rows.map((row) => rowToJob(row))
}

export function readIdsInState(db: SqliteDatabase, state: JobState): string[] {
  const rows = db.prepare(`SELECT id FROM jobs WHERE state = ? ORDER BY id`).pluck().all(state) as number[]
  return rows.map(String)
}
