import { setTimeout as delay } from 'node:timers/promises'
import type { KindRegistry } from './kind-registry'
import { sweepFolderInTurns } from './outputs/abandoned-parts'

/** Jobs whose folders are resolved between two turns of the event loop. */
const jobsAtOnce = 32

/** A job that was stopped while it ran: what it was asked to write, and where. */
export interface StoppedJob {
  kind: string
  input: unknown
}

/**
 * A conversion killed with the app leaves its temporary part beside its target. A job that runs again removes
 * it, but one that does not (ended `INTERRUPTED`, or cancelled or removed before its turn) would leave it in
 * the user's folder for good. So, once the queue has started, the output folders of the jobs found running
 * are swept for parts whose writer is dead: one folder at a time, read in small turns, only folders the
 * granted paths allow (resolved after symlinks), and only files Spool names as parts. The same sweep follows
 * a worker that died under a job (a crash, a timeout, a cancel past its grace period), and closing the queue
 * with jobs running, once their workers are gone.
 */
export class StoppedJobParts {
  readonly #registry: KindRegistry
  readonly #sweepFolder: (folder: string, signal: AbortSignal) => Promise<unknown>
  readonly #stop = new AbortController()
  #done: Promise<void> = Promise.resolve()

  /** `sweepFolder`: how one folder is swept (see `sweepFolderInTurns`). */
  constructor(registry: KindRegistry, sweepFolder = sweepFolderInTurns) {
    this.#registry = registry
    this.#sweepFolder = sweepFolder
  }

  /**
   * Sweeps the output folders of `stopped`, after the sweeps before; with `wait`, not before `wait.ms` have
   * passed or `wait.after` has settled, whichever comes first (opening never waits for it).
   */
  add(stopped: readonly StoppedJob[], wait?: { ms: number; after?: Promise<unknown> }): void {
    if (stopped.length === 0) return
    const signal = this.#stop.signal
    const waited = wait ? [delay(wait.ms, null, { ref: false, signal })] : []
    // Workers that failed to start are no reason to wait longer.
    if (wait?.after) waited.push(wait.after.catch(() => null).then(() => null))
    this.#done = this.#done
      .then(() => (waited.length > 0 ? Promise.race(waited) : null))
      .then(() => this.#sweep(stopped, signal))
      .catch((error: unknown) => {
        if (!signal.aborted) console.error('Spool could not remove the temporary files of stopped jobs:', error)
      })
  }

  /**
   * Stops sweeping; resolves once it touches nothing more, or after `limitMs`: a folder on a drive that stopped
   * answering holds a read for as long as the system does, and closing Spool must not wait for that (the sweep
   * then ends when the read does, touching nothing more).
   */
  stop(limitMs: number): Promise<void> {
    this.#stop.abort()
    return this.#within(limitMs)
  }

  /** Resolves once every sweep asked for is done, or, after `limitMs`, stops them as `stop` does. */
  async finish(limitMs: number): Promise<void> {
    await this.#within(limitMs)
    this.#stop.abort()
  }

  #within(limitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))
    return Promise.race([this.#done, limit]).finally(() => clearTimeout(timer))
  }

  async #sweep(stopped: readonly StoppedJob[], signal: AbortSignal): Promise<void> {
    const folders = new Set<string>()
    let checked = 0
    for (const job of stopped) {
      // Resolved again here, not at open: a link swapped since then is judged as it is now.
      for (const folder of this.#registry.writeFolders(job.kind, job.input)) folders.add(folder)
      // Each check resolves paths on the main thread: a thousand jobs take turns with everything else.
      if (++checked % jobsAtOnce === 0) await new Promise((resolve) => setImmediate(resolve))
      if (signal.aborted) return
    }
    for (const folder of folders) {
      if (signal.aborted) return
      await this.#sweepFolder(folder, signal)
    }
  }
}
