import type { JobEvent } from '../../shared/events'
import type { Job, JobId } from '../../shared/job'
import { groupOf, groupOrder, mergeSorted, samePlace, withoutIds, type JobGroup } from './job-order'

const groups: readonly JobGroup[] = ['running', 'waiting', 'finished']

/** Per group: ids leaving it and jobs joining it, applied together once per batch or page. */
class GroupChanges {
  readonly gone = { running: new Set<JobId>(), waiting: new Set<JobId>(), finished: new Set<JobId>() }
  readonly joining = { running: [] as Job[], waiting: [] as Job[], finished: [] as Job[] }
  any = false
}

/**
 * The dashboard's copy of the jobs: a Map for O(1) updates (a progress event touches one entry) and the list
 * order in three sorted groups (see job-order.ts) that change only when jobs are added, removed or move
 * between states. `jobs` may be a reactive Map, so that a row re-renders when its own entry changes; `raw` is
 * the Map behind it, for reads and for jobs new to the table: nothing shows a job before it is listed, and
 * what is listed changes with the order (a reactive insert costs more than the rest of a 10,000-job batch).
 */
export class JobTable {
  readonly #order = { running: [] as JobId[], waiting: [] as JobId[], finished: [] as JobId[] }
  #ids: JobId[] | null = []
  /** Ids removed since the last reset, so a page fetched before the removal cannot bring them back. */
  readonly #removed = new Set<JobId>()

  constructor(
    readonly jobs: Map<JobId, Job>,
    private readonly raw: Map<JobId, Job> = jobs,
  ) {}

  /** Every loaded id in list order. */
  get ids(): JobId[] {
    this.#ids ??= this.#order.running.concat(this.#order.waiting, this.#order.finished)
    return this.#ids
  }

  /** Running jobs, in the order they started. */
  get running(): readonly JobId[] {
    return this.#order.running
  }

  /** How many listed jobs are running or queued: they come first. */
  get activeCount(): number {
    return this.#order.running.length + this.#order.waiting.length
  }

  reset(jobs: readonly Job[]): void {
    this.jobs.clear()
    this.#removed.clear()
    for (const group of groups) this.#order[group] = []
    this.#ids = []
    this.mergePage(jobs)
  }

  /** Adds jobs from a `list` page or a snapshot; a job already known is newer here (events keep it current). */
  mergePage(jobs: readonly Job[]): boolean {
    const changes = new GroupChanges()
    for (const job of jobs) {
      if (this.raw.has(job.id) || this.#removed.has(job.id)) continue
      this.raw.set(job.id, job)
      changes.joining[groupOf[job.state]].push(job)
      changes.any = true
    }
    return this.#applyChanges(changes)
  }

  /** Applies one batch; answers whether the list order changed (filters and counts must rerun). */
  apply(events: readonly JobEvent[]): boolean {
    const changes = new GroupChanges()
    for (const event of events) {
      if (event.type === 'queue') continue
      const before = this.raw.get(event.id)
      if (event.type === 'progress') {
        if (before) this.jobs.set(event.id, { ...before, progress: event.progress })
        continue
      }
      if (event.type === 'removed') {
        this.#removed.add(event.id)
        if (before && this.jobs.delete(event.id)) this.#leave(changes, before)
        continue
      }
      if (this.#removed.has(event.id)) continue
      ;(before ? this.jobs : this.raw).set(event.id, event.job)
      if (before && samePlace(before, event.job)) continue
      if (before) this.#leave(changes, before)
      changes.joining[groupOf[event.job.state]].push(event.job)
      changes.any = true
    }
    return this.#applyChanges(changes)
  }

  #leave(changes: GroupChanges, job: Job): void {
    const group = groupOf[job.state]
    changes.gone[group].add(job.id)
    // A job that left and rejoins its group in one batch is placed once, by its newest version.
    changes.joining[group] = changes.joining[group].filter((joining) => joining.id !== job.id)
    changes.any = true
  }

  #applyChanges(changes: GroupChanges): boolean {
    if (!changes.any) return false
    for (const group of groups) {
      const joining = changes.joining[group]
      const gone = changes.gone[group]
      if (joining.length === 0 && gone.size === 0) continue
      const compare = groupOrder[group]
      const incoming = joining.sort(compare).map((job) => job.id)
      const byId = (a: JobId, b: JobId) => compare(this.raw.get(a)!, this.raw.get(b)!)
      this.#order[group] = mergeSorted(withoutIds(this.#order[group], gone), incoming, byId)
    }
    this.#ids = null
    return true
  }
}
