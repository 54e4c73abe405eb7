import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { Job, JobId } from '../../shared/job'

/**
 * Running jobs this window asked to cancel, by when the run it asked to stop started. A job may take a while to
 * stop (it finishes the file in hand, or is killed once its grace period is over): until then it shows that it
 * is stopping, rather than a Cancel that seems to have done nothing. A later run of the same job (retried) is
 * not stopping.
 */
export const useStoppingStore = defineStore('stopping', () => {
  const runs = shallowRef<ReadonlyMap<JobId, number>>(new Map())

  function asked(jobs: Iterable<Job>): void {
    const next = new Map(runs.value)
    for (const job of jobs) if (job.state === 'running' && job.startedAt !== undefined) next.set(job.id, job.startedAt)
    runs.value = next
  }

  function stopping(job: Job): boolean {
    return job.state === 'running' && job.startedAt !== undefined && runs.value.get(job.id) === job.startedAt
  }

  return { asked, stopping }
})
