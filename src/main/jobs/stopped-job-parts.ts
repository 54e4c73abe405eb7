import { setTimeout as delay } from 'node:timers/promises'
import type { KindRegistry } from './kind-registry'
import { sweepFolderInTurns } from './outputs/abandoned-parts'

/** Jobs whose folders are resolved between two turns of the event loop. */
const jobsAtOnce = 32

/**
 * A conversion killed with the app leaves its temporary part beside its target. A job that runs again removes
 * it, but one that does not (ended `INTERRUPTED`, or cancelled or removed before its turn) would leave it in
 * the user's folder for good. So, once the queue has started, the output folders of the jobs found running
 * are swept for parts whose writer is dead: one folder at a time, read in small turns, only folders the
 * granted paths allow (resolved after symlinks), and only files Spool names as parts. Closing the queue
 * sweeps the folders of the jobs it stopped the same way, once their workers are gone.
 */
export class StoppedJobParts {
  readonly #stop = new AbortController()
  #done: Promise<void> = Promise.resolve()

  /** Starts the sweep after `afterMs`, or once `after` settles if sooner, so that opening never waits for it. */
  start(options: {
    stopped: readonly { kind: string; input: unknown }[]
    registry: KindRegistry
    afterMs: number
    after?: Promise<unknown>
  }): void {
    if (options.stopped.length === 0) return
    const signal = this.#stop.signal
    const waited = [delay(options.afterMs, null, { ref: false, signal })]
    // Workers that failed to start are no reason to wait longer.
    if (options.after) waited.push(options.after.catch(() => null).then(() => null))
    this.#done = Promise.race(waited)
      .then(() => this.#sweep(options.stopped, options.registry, signal))
      .catch((error: unknown) => {
        if (!signal.aborted) console.error('Spool could not remove the temporary files of interrupted jobs:', error)
      })
  }

  /** Resolves once the sweep is done, or stopped. */
  get done(): Promise<void> {
    return this.#done
  }

  /** Stops the sweep; resolves once it touches nothing more. */
  stop(): Promise<void> {
    this.#stop.abort()
    return this.#done
  }

  async #sweep(
    stopped: readonly { kind: string; input: unknown }[],
    registry: KindRegistry,
    signal: AbortSignal,
  ): Promise<void> {
    const folders = new Set<string>()
    let checked = 0
    for (const job of stopped) {
      // Resolved again here, not at open: a link swapped since then is judged as it is now.
      for (const folder of registry.writeFolders(job.kind, job.input)) folders.add(folder)
      // Each check resolves paths on the main thread: a thousand jobs take turns with everything else.
      if (++checked % jobsAtOnce === 0) await new Promise((resolve) => setImmediate(resolve))
      if (signal.aborted) return
    }
    for (const folder of folders) {
      if (signal.aborted) return
      await sweepFolderInTurns(folder, signal)
    }
  }
}
