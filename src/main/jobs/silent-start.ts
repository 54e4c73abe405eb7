/**
 * A job at the head of a worker's line is taken to run once the worker has been silent this long with it: its
 * first stretch of synchronous work (a loop that never yields, a large synchronous read) keeps the worker from
 * sending even its word that the job started, and until the host knows the job runs, neither a cancel's grace
 * period nor the watchdog can stop it.
 */
const silentStartMs = 500

/** The job at the head of a worker's line that has not said it started, and when its `run` message left. */
export interface UnannouncedHead {
  jobId: string
  sentAt: number
}

/** What the watch asks of its worker. */
export interface SilentWorker {
  /** Whether the worker holds jobs and has not exited: whether there is anything to watch. */
  holdsJobs(): boolean
  unannouncedHead(): UnannouncedHead | undefined
  /** The worker has been silent with the job since `since` (`performance.now()`), `silentMs` by now. */
  startedSilently(jobId: string, since: number, silentMs: number): void
}

/**
 * Watches one worker while it holds jobs: a timer at most every `silentStartMs`, never one per job or message,
 * so a stream of short jobs pays only for noting when the worker last spoke.
 */
export class SilentStart {
  readonly #worker: SilentWorker
  #heardAt = 0
  #timer: NodeJS.Timeout | null = null

  constructor(worker: SilentWorker) {
    this.#worker = worker
  }

  /** The worker said something. */
  heard(): void {
    this.#heardAt = performance.now()
  }

  /** Looks again in `wait` ms, unless a look is due already or there is nothing to watch. */
  watch(wait = silentStartMs): void {
    if (this.#timer || !this.#worker.holdsJobs()) return
    this.#timer = setTimeout(() => this.#look(), wait)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer)
  }

  #look(): void {
    this.#timer = null
    const head = this.#worker.unannouncedHead()
    if (!head) return this.watch()
    const since = Math.max(head.sentAt, this.#heardAt)
    const silentMs = performance.now() - since
    if (silentMs < silentStartMs) return this.watch(silentStartMs - silentMs)
    this.#worker.startedSilently(head.jobId, since, silentMs)
  }
}
