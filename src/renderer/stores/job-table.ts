import type { JobEvent } from '../../shared/events'
import type { Job, JobId } from '../../shared/job'

/** Newest first: ids are decimal strings without leading zeros, so length then text orders them numerically. */
export function newerFirst(a: JobId, b: JobId): number {
  return a.length !== b.length ? b.length - a.length : a < b ? 1 : a > b ? -1 : 0
}

/** Merges two newest-first id lists in one pass (no sort of the whole list when a page arrives). */
function mergeIds(existing: readonly JobId[], incoming: JobId[]): JobId[] {
  if (incoming.length === 0) return existing as JobId[]
  incoming.sort(newerFirst)
  const merged: JobId[] = new Array<JobId>(existing.length + incoming.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < existing.length && j < incoming.length) {
    merged[k++] = newerFirst(existing[i]!, incoming[j]!) <= 0 ? existing[i++]! : incoming[j++]!
  }
  while (i < existing.length) merged[k++] = existing[i++]!
  while (j < incoming.length) merged[k++] = incoming[j++]!
  return merged
}

/**
 * The dashboard's copy of the jobs: a Map for O(1) updates (a progress event touches one entry) and an
 * ordered id list that is only rebuilt when jobs are added or removed. `jobs` may be a reactive Map, so that
 * a row re-renders when its own entry changes and nothing else does.
 */
export class JobTable {
  ids: JobId[] = []
  readonly running = new Set<JobId>()
  /** Ids removed since the last reset, so a page fetched before the removal cannot bring them back. */
  readonly #removed = new Set<JobId>()

  constructor(readonly jobs: Map<JobId, Job>) {}

  reset(jobs: readonly Job[]): void {
    this.jobs.clear()
    this.running.clear()
    this.#removed.clear()
    this.ids = []
    this.mergePage(jobs)
  }

  /** Adds jobs from a `list` page or a snapshot; a job already known is newer here (events keep it current). */
  mergePage(jobs: readonly Job[]): boolean {
    const fresh: JobId[] = []
    for (const job of jobs) {
      if (this.jobs.has(job.id) || this.#removed.has(job.id)) continue
      this.#put(job)
      fresh.push(job.id)
    }
    this.ids = mergeIds(this.ids, fresh)
    return fresh.length > 0
  }

  /** Applies one batch; answers whether the set of jobs or any job's state changed (filters must rerun). */
  apply(events: readonly JobEvent[]): boolean {
    const fresh: JobId[] = []
    const gone = new Set<JobId>()
    let structural = false
    for (const event of events) {
      switch (event.type) {
        case 'progress': {
          const job = this.jobs.get(event.id)
          if (job) this.jobs.set(event.id, { ...job, progress: event.progress })
          break
        }
        case 'removed':
          if (this.jobs.delete(event.id)) gone.add(event.id)
          this.running.delete(event.id)
          this.#removed.add(event.id)
          structural = true
          break
        case 'queue':
          break
        default:
          if (this.#removed.has(event.id)) break
          if (!this.jobs.has(event.id)) fresh.push(event.id)
          this.#put(event.job)
          structural = true
      }
    }
    if (gone.size > 0) this.ids = this.ids.filter((id) => !gone.has(id))
    this.ids = mergeIds(this.ids, fresh)
    return structural
  }

  #put(job: Job): void {
    this.jobs.set(job.id, job)
    if (job.state === 'running') this.running.add(job.id)
    else this.running.delete(job.id)
  }
}
