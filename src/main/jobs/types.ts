import type { SpoolCommands } from '../../shared/commands'
import type { EventListener } from '../../shared/events'
import type { Job, JobId } from '../../shared/job'
import type { AnyJobKind } from './define-job'
import type { WorkerLauncher } from './launcher'

export interface SpoolOptions {
  /** Folder for the database and nothing else; created if missing. */
  dataDir: string
  /** Jobs run at once, one worker process each. Default: as the user last set it, else the number of CPU cores. */
  concurrency?: number
  /** How worker processes are started. Default: Node's `child_process.fork`. */
  launcher?: WorkerLauncher
  /** The job kinds this Spool accepts. Default: the built-in kinds. The worker entry must serve the same. */
  kinds?: AnyJobKind[]
  /** Folders whose contents jobs may read and write (resolved after symlinks). */
  roots?: string[]
  /** Registers the `debug.*` kinds. Default: `SPOOL_DIAGNOSTICS=1`. */
  diagnostics?: boolean
  /** How long a cancelled job may take to stop before its worker is killed. Default 5 s. */
  cancelGraceMs?: number
  /** A running job silent this long ends `TIMEOUT`, unless its kind sets its own. Default 120 s. */
  watchdogMs?: number
  /** Heap limit for each worker process. Default 4096 MB. */
  workerHeapMb?: number
  /** A job found running at start this many times ends `INTERRUPTED` instead of running again. Default 3. */
  maxInterruptions?: number
  /** Retry backoff: `baseMs * 2^(attempt-1)` with jitter, at most `maxMs`. */
  backoff?: { baseMs?: number; maxMs?: number }
  /** Idle workers exit after this long. Default 30 s. */
  idleWorkerMs?: number
  /**
   * Opens with the queue paused (true: nothing starts until `resume`) or running (false). Default: as the
   * user last left it. `concurrency` likewise defaults to the last set, else the number of cores.
   */
  startPaused?: boolean
  /** Database size limit in 4 KiB pages (for tests of a full disk). */
  maxPageCount?: number
  /** The better-sqlite3 addon built for this runtime, when it is not the one in node_modules (Electron's). */
  sqliteAddon?: string
}

export interface Spool extends SpoolCommands {
  readonly dataDir: string
  /** Receives every event batch from now on. */
  subscribe(listener: EventListener): () => void
  /** Resolves with the job once it is succeeded, failed or cancelled. */
  wait(id: JobId): Promise<Job>
  /**
   * Allows jobs to use these files or folders (from a dialog, a drop, a second instance), from now on: the
   * grant is kept with the queue, so jobs submitted with them still run, and retry, after a restart.
   */
  grant(paths: readonly string[]): void
  /** Stops scheduling, hands running jobs back to the queue for the next start, stops workers, closes the database. */
  close(): Promise<void>
  /** Set when the database found at start was unreadable and was moved aside. */
  readonly startupNotice?: string
}
