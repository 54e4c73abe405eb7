import { SpoolError } from '../../shared/errors'
import type { Job } from '../../shared/job'

interface Waiter {
  resolve(job: Job): void
  reject(error: Error): void
}

/** Promises for jobs to become final, settled as the jobs finish or vanish. */
export class JobWaiters {
  readonly #waiters = new Map<string, Waiter[]>()

  add(id: string): Promise<Job> {
    return new Promise((resolve, reject) => {
      const list = this.#waiters.get(id) ?? []
      list.push({ resolve, reject })
      this.#waiters.set(id, list)
    })
  }

  /** Whether anyone waits for this job. */
  has(id: string): boolean {
    return this.#waiters.has(id)
  }

  finished(job: Job): void {
    const list = this.#waiters.get(job.id)
    this.#waiters.delete(job.id)
    for (const waiter of list ?? []) waiter.resolve(job)
  }

  rejectAll(message: string): void {
    const error = new SpoolError('INTERRUPTED', message)
    for (const list of this.#waiters.values()) for (const waiter of list) waiter.reject(error)
    this.#waiters.clear()
  }
}
