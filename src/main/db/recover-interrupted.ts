import type { JobError } from '../../shared/errors'
import { parseJson } from './job-row'
import type { SqliteDatabase } from './open-database'

export interface RecoveredJobs {
  requeued: string[]
  interrupted: string[]
  /** What every recovered job was doing (its kind and input), to find what its killed run left behind. */
  stopped: { kind: string; input: unknown }[]
}

/**
 * Jobs a crashed or killed host left `running` go back to the queue, unless this was their
 * `maxInterruptions`-th interruption: then they end `INTERRUPTED`, so a job that takes the app down with it
 * cannot loop forever. Call inside a transaction.
 */
export function recoverInterrupted(db: SqliteDatabase, maxInterruptions: number, now: number): RecoveredJobs {
  const rows = db.prepare(`SELECT id, interruptions, kind, input FROM jobs WHERE state = 'running'`).all() as {
    id: number
    interruptions: number
    kind: string
    input: string
  }[]
  const recovered: RecoveredJobs = { requeued: [], interrupted: [], stopped: [] }
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
