import { statfsSync } from 'node:fs'
import { SpoolError } from '../../shared/errors'

/** Pages SQLite may need beyond the rows themselves (indexes, the WAL's own headers). */
const slackBytes = 256 * 1024
/** A row's columns besides its input and label. */
const rowOverheadBytes = 128

/**
 * Refuses a batch of new jobs when the disk holding the queue has no room for it. A full disk shows only
 * when the batch is committed, after the caller was answered; checked here, the caller is told instead.
 * Each row is written twice (to the WAL, then to the database file).
 */
export function ensureRoomToStore(dataDir: string, jobs: readonly { input: unknown; label: string }[]): void {
  let free: number
  try {
    const stats = statfsSync(dataDir)
    free = stats.bavail * stats.bsize
  } catch {
    // A file system that cannot say (some network shares) still fails the commit, which is then retried.
    return
  }
  let bytes = slackBytes
  for (const job of jobs) bytes += 2 * (JSON.stringify(job.input).length + job.label.length + rowOverheadBytes)
  if (free < bytes) {
    throw new SpoolError(
      'DISK_FULL',
      `There is no room left to store these jobs: the disk holding the queue is full (${Math.floor(free / 1024)} KiB free)`,
    )
  }
}
