import type { Attempt } from './attempt'
import type { WorkerPool } from './worker-pool'

/** The jobs handed to workers, by id, in the order they were handed out. */
type Dispatched = ReadonlyMap<string, { attempt: Attempt }>

/**
 * Jobs handed to a worker still starting move, in the order they were handed out, to workers that are up and
 * have room: they do not wait for the start while jobs queued behind them run.
 */
export function moveToWorkersUp(dispatched: Dispatched, pool: WorkerPool): void {
  if (!pool.starting) return
  for (const { attempt } of dispatched.values()) {
    const from = attempt.worker
    if (from.isReady || !attempt.awaitingWorker) continue
    const to = pool.takeReady()
    if (!to) return
    attempt.moveTo(to)
    pool.release(from, true)
  }
}

/**
 * A worker fell idle while another holds a job waiting its turn, and no queued job is ready for it: the first
 * such job is taken back, to run there.
 */
export function takeBackForIdle(dispatched: Dispatched, pool: WorkerPool, queued: number): void {
  if (!pool.hasIdle || queued > 0) return
  for (const { attempt } of dispatched.values()) if (attempt.waitingInWorker) return attempt.unqueue()
}
