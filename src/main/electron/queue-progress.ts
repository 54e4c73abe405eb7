import type { EventBatch } from '../../shared/events'
import type { JobId, Snapshot } from '../../shared/job'

/** What the taskbar / dock shows; `mode` uses the names of `BrowserWindow.setProgressBar`. */
export interface TaskbarState {
  /** 0..1, or -1 to remove the bar. */
  fraction: number
  mode: 'none' | 'normal' | 'indeterminate' | 'error' | 'paused'
  /** Unfinished jobs, for the dock / launcher badge (0 clears it). */
  badge: number
}

/**
 * Whole-queue progress for one "run": from the moment work is waiting until the queue is empty again.
 * Finished jobs of the run count as done, running ones by their fraction, queued ones as not started,
 * so the bar moves forward as work completes and never jumps back when a single job ends.
 */
export class QueueProgress {
  readonly #running = new Map<JobId, number>()
  #queued: number
  #paused: boolean
  #finished = 0
  #failed = 0

  constructor(snapshot: Snapshot) {
    for (const job of snapshot.active) {
      if (job.state === 'running') this.#running.set(job.id, job.progress.fraction ?? 0)
    }
    this.#queued = snapshot.counts.queued
    this.#paused = snapshot.queue.paused
  }

  get running(): number {
    return this.#running.size
  }

  apply(batch: EventBatch): void {
    for (const event of batch.events) {
      switch (event.type) {
        case 'added':
          this.#queued++
          break
        case 'started':
          this.#queued = Math.max(0, this.#queued - 1)
          this.#running.set(event.id, event.job.progress.fraction ?? 0)
          break
        case 'progress':
          if (this.#running.has(event.id)) this.#running.set(event.id, event.progress.fraction ?? 0)
          break
        case 'succeeded':
        case 'cancelled':
        case 'failed': {
          if (!this.#running.delete(event.id)) this.#queued = Math.max(0, this.#queued - 1)
          if (event.type === 'failed' && event.willRetry) {
            this.#queued++
            break
          }
          this.#finished++
          if (event.type === 'failed') this.#failed++
          break
        }
        case 'queue':
          // Authoritative, so any drift in the counting above is corrected here.
          this.#queued = event.queue.counts.queued
          this.#paused = event.queue.paused
          break
        case 'stopping':
        case 'saving':
        case 'removed':
          break
      }
    }
    if (this.#running.size === 0 && this.#queued === 0) {
      this.#finished = 0
      this.#failed = 0
    }
  }

  state(): TaskbarState {
    const unfinished = this.#running.size + this.#queued
    if (unfinished === 0) return { fraction: -1, mode: 'none', badge: 0 }
    let done = this.#finished
    for (const fraction of this.#running.values()) done += fraction
    const fraction = Math.min(1, done / (this.#finished + unfinished))
    const mode = this.#failed > 0 ? 'error' : this.#paused ? 'paused' : done === 0 ? 'indeterminate' : 'normal'
    return { fraction, mode, badge: unfinished }
  }
}
