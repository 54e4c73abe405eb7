import type { JobError } from '../../shared/errors'
import { parseJson } from './job-row'
import type { SqliteDatabase } from './open-database'

export interface RecoveredJobs {
  requeued: string[]
  interrupted: string[]
  /** Jobs the user had asked to cancel, ended `cancelled`, by the state they were left in. */
  cancelled: { id: string; was: 'queued' | 'running' }[]
  /** What every recovered job was doing (its kind and input), to find what its killed run left behind. */
  stopped: { kind: string; input: unknown }[]
}

const cancelledError: JobError = {
  code: 'CANCELLED',
  message: 'Cancelled; Spool stopped before the job did, and did not run it again',
}

/**
 * Jobs a crashed or killed host left `running` go back to the queue, unless this was their
 * `maxInterruptions`-th interruption: then they end `INTERRUPTED`, so a job that takes the app down with it
 * cannot loop forever. A job the user had asked to cancel, still running or waiting in a worker when the host
 * stopped, ends `cancelled` instead: it is not run again. Call inside a transaction.
 */
export function recoverInterrupted(db: SqliteDatabase, maxInterruptions: number, now: number): RecoveredJobs {
  const recovered: RecoveredJobs = { requeued: [], interrupted: [], cancelled: [], stopped: [] }
  cancelStopped(db, now, recovered)
  const rows = db.prepare(`SELECT id, interruptions, kind, input FROM jobs WHERE state = 'running'`).all() as {
    id: number
    interruptions: number
    kind: string
    input: string
  }[]
  const requeue = db.prepare(
    `UPDATE jobs SET state = 'queued', interruptions = ?, progress = NULL, run_after = NULL WHERE id = ?`,
  )
  const end = db.prepare(`UPDATE jobs SET state = 'failed', interruptions = ?, error = ?, finished_at = ? WHERE id = ?`)
  for (const row of rows) {
    recovered.stopped.push({ kind: row.kind, input: parseJson<unknown>(row.input, null) })
    const interruptions = row.interruptions + 1
    if (interruptions >= maxInterruptions) {
      const error: JobError = {
        code: 'INTERRUPTED',
        message: `Spool stopped while this job was running, ${interruptions} times; it was not restarted again`,
      }
      end.run(interruptions, JSON.stringify(error), now, row.id)
      recovered.interrupted.push(String(row.id))
    } else {
      requeue.run(interruptions, row.id)
      recovered.requeued.push(String(row.id))
    }
  }
  return recovered
}

/**
 * Ends the jobs asked to cancel that had not stopped, then forgets every such request: the small index of them
 * holds only the requests made since the last start.
 */
function cancelStopped(db: SqliteDatabase, now: number, recovered: RecoveredJobs): void {
  const rows = db
    .prepare(
      `SELECT id, state, kind, input FROM jobs INDEXED BY jobs_stop_asked
       WHERE stop_asked_at IS NOT NULL AND state IN ('queued','running')`,
    )
    .all() as { id: number; state: 'queued' | 'running'; kind: string; input: string }[]
  const end = db.prepare(
    `UPDATE jobs SET state = 'cancelled', error = ?, finished_at = ?, run_after = NULL WHERE id = ?`,
  )
  for (const row of rows) {
    end.run(JSON.stringify(cancelledError), now, row.id)
    recovered.cancelled.push({ id: String(row.id), was: row.state })
    if (row.state === 'running') recovered.stopped.push({ kind: row.kind, input: parseJson<unknown>(row.input, null) })
  }
  db.prepare(`UPDATE jobs INDEXED BY jobs_stop_asked SET stop_asked_at = NULL WHERE stop_asked_at IS NOT NULL`).run()
}
