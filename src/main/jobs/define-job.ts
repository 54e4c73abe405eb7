import type { ChildProcess, SpawnOptions } from 'node:child_process'
import type { z } from 'zod'
import type { OutputRecord } from './outputs/earlier-outputs'

/** What a handler reports; the engine adds rate and ETA. */
export interface ProgressUpdate {
  fraction?: number | null
  done?: number
  total?: number
  unit?: string
  message?: string
}

export interface JobContext {
  readonly jobId: string
  readonly attempt: number
  /**
   * Fires when the job is cancelled or timed out; stop soon after, by throwing (`signal.throwIfAborted()`).
   * A handler that returns instead has succeeded: a cancel that came too late to stop the work changes nothing.
   */
  readonly signal: AbortSignal
  /** A private folder for this attempt, removed after it. */
  readonly tmpDir: string
  progress(update: ProgressUpdate): void
  log(line: string): void
  /** Tells the watchdog the job is alive when it has no progress to report. */
  heartbeat(): void
  /**
   * Starts a child process that Spool tracks: it is killed (TERM, then KILL) when the signal fires, when
   * the job ends, and, by the main process, if the worker dies.
   */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess
  /** The outputs earlier attempts of this job placed, and where this attempt records its own (`StagedOutputs`). */
  readonly outputs?: OutputRecord
}

/** The files a job reads and the folders it writes, checked against the granted paths before it is queued. */
export interface JobPaths {
  read?: string[]
  write?: string[]
}

export interface Availability {
  available: boolean
  reason?: string
}

export interface JobKind<Input = unknown> {
  kind: string
  title: string
  description?: string
  input: z.ZodType<Input>
  /** File extensions (lower case, no dot) the kind accepts; shown in dialogs and drop targets. */
  accepts?: string[]
  /** Kinds that exist to exercise failure modes; registered only with diagnostics on. */
  diagnostic?: boolean
  /** Watchdog: no progress, log or heartbeat for this long ends the attempt `TIMEOUT`. */
  timeoutMs?: number
  paths?(input: Input): JobPaths
  /** The job's name when its spec gives none: what it does to which file, e.g. "clip.mp4 → MP3". */
  label?(input: Input): string
  available?(): Availability
  run(input: Input, ctx: JobContext): Promise<unknown>
}

export function defineJob<S extends z.ZodType>(
  definition: Omit<JobKind<z.output<S>>, 'input'> & { input: S },
): JobKind<z.output<S>> {
  return definition as JobKind<z.output<S>>
}

// Any kind, whatever its input: the registry holds many.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobKind = JobKind<any>
