import type { SqliteDatabase } from './open-database'

/**
 * The files a running job said it is about to put in place, kept in its row (JSON, as the engine gave it) until
 * the job ends: a run again after a crash reads them to know its own outputs. Cleared by `JobStore.finish`.
 *
 * Writing them also forgets a cancel asked before: some outputs may be in place by now, and a job is never left
 * cancelled with outputs, so a restart before it ends runs it again to finish them (see `recoverInterrupted`).
 */
export class PlacedOutputs {
  readonly #read
  readonly #write

  constructor(db: SqliteDatabase) {
    this.#read = db.prepare(`SELECT placing FROM jobs WHERE id = ?`).pluck()
    // Not fenced by state: the job's start may still wait to be written in this same transaction.
    this.#write = db.prepare(`UPDATE jobs SET placing = ?, stop_asked_at = NULL WHERE id = ?`)
  }

  read(id: string): string | null {
    return (this.#read.get(Number(id)) as string | null | undefined) ?? null
  }

  /** Call inside the store's transaction (`JobStore.transaction`). */
  write(id: string, json: string): void {
    this.#write.run(json, Number(id))
  }
}
