import { z } from 'zod'
import type { Job } from '../../shared/job'
import type { JobStore } from '../db/job-store'
import type { PlacedOutputs } from '../db/placed-outputs'
import { placedFile, type PlacedFile } from './outputs/earlier-outputs'

const storedFiles = z.array(placedFile)

/**
 * The outputs each running job is about to put in place, kept in its row until it ends (see earlier-outputs.ts):
 * after a crash, its next attempt replaces what an earlier one placed instead of numbering a copy beside it.
 */
export class OutputRecords {
  readonly #store: JobStore
  readonly #placed: PlacedOutputs

  constructor(store: JobStore, placed: PlacedOutputs) {
    this.#store = store
    this.#placed = placed
  }

  /** What earlier attempts of the job recorded; only a job that ran before can have any, so only then read. */
  earlier(job: Job): PlacedFile[] {
    if (job.attempts === 0) return []
    const json = this.#placed.read(job.id)
    const parsed = json ? storedFiles.safeParse(JSON.parse(json)) : undefined
    return parsed?.success ? parsed.data : []
  }

  /**
   * Adds `files` to what the job's earlier attempts recorded (any of theirs may still be in place, under a name
   * this attempt will take) and saves it at the end of this turn, with whatever else the turn wrote (the start of
   * the worker's next job most often travels in the same message). `onSaved` runs once the record is on disk:
   * the worker places the files only then.
   */
  record(id: string, earlier: readonly PlacedFile[], files: readonly PlacedFile[], onSaved: () => void): PlacedFile[] {
    const all = [...earlier, ...files]
    this.#store.transaction(() => this.#placed.write(id, JSON.stringify(all)))
    this.#store.afterCommit(onSaved)
    return all
  }
}
