import type { JobError } from '../../shared/errors'

/** How an attempt ended. `ms`: how long the job ran in its worker, when it ran to an end of its own. */
export type Outcome =
  | { state: 'succeeded'; result: unknown; ms: number }
  | { state: 'failed'; error: JobError; ms?: number }
  | { state: 'cancelled' }
  /** The job never started and goes back to the queue as it was (taken back, or its worker died first). */
  | { state: 'returned' }
  /**
   * Its worker died of another job (one that ran after it, or was killed for) while this one, its work done,
   * was putting its outputs in place: it runs again.
   */
  | { state: 'interrupted'; error: JobError }

/** A fresh outcome each time: the error travels with the job, to subscribers that may keep it. */
export function interrupted(): Outcome {
  return {
    state: 'interrupted',
    error: {
      code: 'INTERRUPTED',
      message: 'Another job ended the worker while this one put its outputs in place; it runs again',
    },
  }
}
