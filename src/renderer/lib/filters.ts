import { withoutIsolationMarks } from '../../shared/isolated-names'
import type { Job, JobId, JobState } from '../../shared/job'

export interface JobFilter {
  states: JobState[]
  kind: string
  text: string
}

export function isFilterActive(filter: JobFilter): boolean {
  return filter.states.length > 0 || filter.kind !== '' || filter.text.trim() !== ''
}

/** The ids that pass the filter, in list order; one pass over the jobs, run only when filter or structure changes. */
export function filterIds(ids: readonly JobId[], jobs: ReadonlyMap<JobId, Job>, filter: JobFilter): JobId[] {
  const states = filter.states.length > 0 ? new Set(filter.states) : null
  const text = withoutIsolationMarks(filter.text.trim().toLowerCase())
  // Rows show an id as "#12": typed that way, it finds that job.
  const id = text.startsWith('#') ? text.slice(1) : text
  const out: JobId[] = []
  for (const candidate of ids) {
    const job = jobs.get(candidate)
    if (!job) continue
    if (states && !states.has(job.state)) continue
    if (filter.kind && job.kind !== filter.kind) continue
    // A label matches as it is shown, without the marks that isolate its file name.
    const label = text && withoutIsolationMarks(job.label).toLowerCase()
    if (text && !label.includes(text) && !job.kind.includes(text) && candidate !== id) continue
    out.push(candidate)
  }
  return out
}
