import type { Job, Progress } from '../../shared/job'
import type { Attempt, AttemptOwner } from './attempt'
import type { PlacedFile } from './outputs/earlier-outputs'
import type { PooledWorker } from './pooled-worker'

/** What a dispatched job passes on to its runner: made once for the runner, not for every job. */
export interface RunnerHooks {
  started(entry: DispatchedJob, agoMs?: number): void
  sent(worker: PooledWorker): void
  progress(entry: DispatchedJob, progress: Progress): void
  log(entry: DispatchedJob, line: string): void
  placing(entry: DispatchedJob, files: readonly PlacedFile[], recorded: () => void): void
}

/** A job handed to a worker: its record, its attempt, and what the attempt reports, passed on to the runner. */
export class DispatchedJob implements AttemptOwner {
  attempt!: Attempt
  persistedAt = 0
  /** `performance.now()` when the worker started it. */
  startedAt = 0
  readonly #hooks: RunnerHooks

  constructor(
    hooks: RunnerHooks,
    public job: Job,
    readonly log: string[],
    /** The outputs its attempts recorded (see output-records.ts). */
    public placed: readonly PlacedFile[],
  ) {
    this.#hooks = hooks
  }

  started(agoMs?: number): void {
    this.#hooks.started(this, agoMs)
  }

  sent(worker: PooledWorker): void {
    this.#hooks.sent(worker)
  }

  progress(progress: Progress): void {
    this.#hooks.progress(this, progress)
  }

  logLine(line: string): void {
    this.#hooks.log(this, line)
  }

  placing(files: readonly PlacedFile[], recorded: () => void): void {
    this.#hooks.placing(this, files, recorded)
  }
}
