import type { EventBatch } from '../../shared/events'
import type { Job, JobId } from '../../shared/job'

export interface DesktopNotice {
  title: string
  body: string
  /** The job a click should select; none for a summary without failures. */
  jobId?: JobId
}

export interface JobNotifierOptions {
  show(notice: DesktopNotice): void
  /** Jobs finishing within this window are reported together. Default 1.5 s. */
  gatherMs?: number
}

function labelOf(job: Job): string {
  return job.label || job.kind
}

function describe(finished: Job[]): DesktopNotice {
  const failed = finished.filter((job) => job.state === 'failed')
  const [only] = finished
  if (finished.length === 1 && only) {
    return only.state === 'failed'
      ? { title: 'Job failed', body: `${labelOf(only)}: ${only.error?.message ?? 'failed'}`, jobId: only.id }
      : { title: 'Job finished', body: labelOf(only), jobId: only.id }
  }
  const succeeded = finished.length - failed.length
  const parts = [`${succeeded} finished`, ...(failed.length > 0 ? [`${failed.length} failed`] : [])]
  return {
    title: failed.length > 0 ? 'Jobs finished with failures' : 'Jobs finished',
    body: parts.join(', '),
    ...(failed[0] && { jobId: failed[0].id }),
  }
}

/**
 * One desktop notification per finished job, or one summary when several finish close together (a batch of
 * a thousand conversions must not produce a thousand notifications). Cancelled jobs are the user's own
 * doing and retried failures are not final, so neither is announced.
 */
export class JobNotifier {
  readonly #show: (notice: DesktopNotice) => void
  readonly #gatherMs: number
  #pending: Job[] = []
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(options: JobNotifierOptions) {
    this.#show = options.show
    this.#gatherMs = options.gatherMs ?? 1_500
  }

  apply(batch: EventBatch): void {
    for (const event of batch.events) {
      if (event.type === 'succeeded' || (event.type === 'failed' && !event.willRetry)) this.#pending.push(event.job)
    }
    if (this.#pending.length > 0 && !this.#timer) this.#timer = setTimeout(() => this.flush(), this.#gatherMs)
  }

  flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#pending.length === 0) return
    const finished = this.#pending
    this.#pending = []
    this.#show(describe(finished))
  }
}
