import type { EventBatch } from './events'
import type { Job, JobId } from './job'

export interface JobNotice {
  title: string
  body: string
  /** The job a click should select; none for a summary without failures. */
  jobId?: JobId
}

export interface JobNotifierOptions {
  show(notice: JobNotice): void
  /** Jobs finishing within this window are reported together. Default 1.5 s. */
  gatherMs?: number
  /** While other jobs still run, failures are told at most this often. Default 30 s. */
  failureGapMs?: number
}

function labelOf(job: Job): string {
  return job.label || job.kind
}

function failureOf(job: Job): string {
  return `${labelOf(job)}: ${job.error?.message ?? 'failed'}`
}

/** The whole run: the one job by name, or how many finished and failed, pointing at the first failure. */
function describeRun(finished: Job[]): JobNotice {
  const failed = finished.filter((job) => job.state === 'failed')
  const [only] = finished
  if (finished.length === 1 && only) {
    return only.state === 'failed'
      ? { title: 'Job failed', body: failureOf(only), jobId: only.id }
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

/** Failures told while the rest of the run goes on. */
function describeFailures([first, ...more]: Job[]): JobNotice {
  if (!first) throw new Error('no failures to describe')
  return more.length === 0
    ? { title: 'Job failed', body: failureOf(first), jobId: first.id }
    : { title: `${more.length + 1} jobs failed`, body: `${failureOf(first)}, and ${more.length} more`, jobId: first.id }
}

/**
 * Notifications for a run of jobs (the desktop app's, and the web dashboard's while its tab is in the
 * background): one when the run is over (nothing runs any more), naming the job or summing up the run, however
 * long it took; a batch of a thousand conversions finishing over an hour makes one notification, not one every
 * few seconds. A failure is told while the run goes on, gathered with the failures close to it and at most
 * every `failureGapMs`. Cancelled jobs are the user's own doing and retried failures are not final, so neither
 * is announced.
 */
export class JobNotifier {
  readonly #show: (notice: JobNotice) => void
  readonly #gatherMs: number
  readonly #failureGapMs: number
  /** Every job of this run that finished, in order. */
  #run: Job[] = []
  /** Failures of this run not told yet. */
  #untoldFailures: Job[] = []
  /** Failures of this run told while it went on. */
  #toldFailures = 0
  #idle = true
  #lastFailureNoticeAt = Number.NEGATIVE_INFINITY
  #timer: ReturnType<typeof setTimeout> | undefined
  #dueAt = 0

  constructor(options: JobNotifierOptions) {
    this.#show = options.show
    this.#gatherMs = options.gatherMs ?? 1_500
    this.#failureGapMs = options.failureGapMs ?? 30_000
  }

  /** `running`: how many jobs run once the batch is applied; none means the run may be over. */
  apply(batch: EventBatch, running: number): void {
    for (const event of batch.events) {
      if (event.type === 'succeeded' || (event.type === 'failed' && !event.willRetry)) {
        this.#run.push(event.job)
        if (event.type === 'failed') this.#untoldFailures.push(event.job)
      }
    }
    this.#idle = running === 0
    const now = performance.now()
    let wait: number
    if (this.#idle && this.#run.length > 0) wait = this.#gatherMs
    else if (this.#untoldFailures.length > 0)
      wait = Math.max(this.#gatherMs, this.#lastFailureNoticeAt + this.#failureGapMs - now)
    else return
    // A failure waiting its turn must not hold back the end of the run, told within moments.
    if (this.#timer && this.#dueAt <= now + wait) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#onTimer(), wait)
    this.#dueAt = now + wait
  }

  /**
   * Tells at once what is pending (the app is closing): the run if it is over, else only its failures not
   * told yet; a run cut short by quitting is not summed up as if it had finished.
   */
  flush(): void {
    clearTimeout(this.#timer)
    this.#onTimer()
  }

  #onTimer(): void {
    this.#timer = undefined
    // Jobs may have started again meanwhile: the run goes on, and only its failures are told now.
    if (this.#idle) {
      if (this.#run.length > 0) this.#endRun()
    } else if (this.#untoldFailures.length > 0) {
      this.#show(describeFailures(this.#untoldFailures))
      this.#toldFailures += this.#untoldFailures.length
      this.#untoldFailures = []
      this.#lastFailureNoticeAt = performance.now()
    }
  }

  #endRun(): void {
    const run = this.#run
    const told = this.#toldFailures
    this.#run = []
    this.#untoldFailures = []
    this.#toldFailures = 0
    // A run whose every job was a failure told already has nothing new to say.
    if (run.length > told) this.#show(describeRun(run))
  }
}
