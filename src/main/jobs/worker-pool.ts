import type { LaunchOptions, WorkerLauncher } from './launcher'
import { PooledWorker, type WorkerLimits } from './pooled-worker'
import { followJobsEnv } from './protocol'

export interface PoolOptions {
  launch: LaunchOptions
  limits: WorkerLimits
  /** How many worker processes at most (the concurrency). */
  maxWorkers: number
  /** Jobs sent to one worker at once: one running, the rest waiting their turn there (see `PipelineDepth`). */
  depth: number
  /**
   * A worker whose job has run longer than this is busy with a long one: no job should wait behind it. The
   * least such time; where jobs typically take longer (see `typicalJobMs`), it grows with them.
   */
  stallMs: number
  /** An idle worker exits after this long. */
  idleMs: number
}

/**
 * A worker is sent more jobs once it holds half its depth or fewer: enough left to keep it busy while the
 * next ones travel, and they travel together.
 */
function lowWater(depth: number): number {
  return Math.max(1, Math.floor(depth / 2))
}

/** A job running this many times longer than jobs typically take is a long one. */
const stallFactor = 4
/** However long jobs typically take, a job waiting behind a long one moves to a free worker within this. */
const maxStallMs = 1_000

/**
 * Long-lived worker processes, reused across jobs. A job goes to an idle worker, else to a new one while
 * there are fewer than `maxWorkers`, else to the least loaded, where it waits its turn; to a worker that is up
 * before one still starting. A worker that died or misbehaved is never given a job again.
 */
export class WorkerPool {
  readonly #launcher: WorkerLauncher
  readonly #options: PoolOptions
  readonly #workers = new Set<PooledWorker>()
  readonly #idleTimers = new Map<PooledWorker, NodeJS.Timeout>()
  #closed = false
  #stallAfterMs: number

  constructor(launcher: WorkerLauncher, options: PoolOptions) {
    this.#launcher = launcher
    this.#options = { ...options }
    this.#stallAfterMs = options.stallMs
  }

  /**
   * How long jobs typically take. A job is taken for a long one only once it has run several times that: jobs
   * of 80 ms each keep their next one waiting in the worker (no round trip between them), while a job stuck
   * behind one of minutes still moves to a free worker within `maxStallMs`.
   */
  set typicalJobMs(ms: number | null) {
    const scaled = (ms ?? 0) * stallFactor
    this.#stallAfterMs = Math.min(maxStallMs, Math.max(this.#options.stallMs, scaled))
  }

  set maxWorkers(value: number) {
    this.#options.maxWorkers = value
    const idle = [...this.#idleTimers.keys()]
    for (const worker of idle.slice(0, Math.max(0, this.#workers.size - value))) this.#retire(worker)
  }

  set depth(value: number) {
    this.#options.depth = value
    for (const worker of this.#workers) worker.lowWater = lowWater(value)
  }

  /** True when some started worker has nothing to do. */
  get hasIdle(): boolean {
    for (const worker of this.#idleTimers.keys()) if (worker.isReady) return true
    return false
  }

  /**
   * The worker for the next job. One already up before one still starting: a job handed to a worker still
   * starting waits for it, while jobs queued after it could start on the others.
   */
  acquire(): PooledWorker {
    const full = this.#workers.size >= this.#options.maxWorkers
    const up = full ? this.takeReady() : this.#idle(true)
    if (up) return up
    const starting = this.#idle(false)
    if (starting) return starting
    if (!full) return this.#start()
    const now = performance.now()
    const least = this.#leastWithRoom(now, false)
    if (least) return least
    // Everyone is full: better behind short jobs than behind a long one, then the least loaded.
    let fallback: PooledWorker | undefined
    let fallbackRank = 0
    for (const worker of this.#workers) {
      if (worker.exited) continue
      const rank = (this.stalled(worker, now) ? 1_000_000 : 0) + worker.load
      if (!fallback || rank < fallbackRank) [fallback, fallbackRank] = [worker, rank]
    }
    return fallback ?? this.#start()
  }

  /** Whether some worker has been started and is not up yet. */
  get starting(): boolean {
    for (const worker of this.#workers) if (!worker.isReady && !worker.exited) return true
    return false
  }

  /** A worker that is up and has room for a job now, an idle one first; undefined if there is none. */
  takeReady(): PooledWorker | undefined {
    return this.#idle(true) ?? this.#leastWithRoom(performance.now(), true)
  }

  /**
   * The least loaded worker with room for another job (a worker busy with a long one has room for none
   * behind it), only among those that are up if `upOnly`.
   */
  #leastWithRoom(now: number, upOnly: boolean): PooledWorker | undefined {
    let least: PooledWorker | undefined
    for (const worker of this.#workers) {
      if (worker.exited || (upOnly && !worker.isReady)) continue
      const capacity = this.stalled(worker, now) ? 1 : this.#options.depth
      if (worker.load < capacity && (!least || worker.load < least.load)) least = worker
    }
    return least
  }

  /** An idle worker, up or still starting, taken out of idleness; workers found exited are dropped. */
  #idle(ready: boolean): PooledWorker | undefined {
    for (const worker of this.#idleTimers.keys()) {
      if (worker.exited) {
        this.#busy(worker)
        this.#workers.delete(worker)
      } else if (worker.isReady === ready) {
        this.#busy(worker)
        return worker
      }
    }
    return undefined
  }

  /**
   * Starts up to `count` workers ahead of the first job (jobs are waiting at start): they start meanwhile.
   * Resolves once each has said it is ready or has exited.
   */
  prestart(count: number): Promise<unknown> {
    const ready: Promise<boolean>[] = []
    for (let i = 0; i < count && this.#workers.size < this.#options.maxWorkers; i++) {
      const worker = this.#start()
      this.release(worker, true)
      ready.push(worker.ready)
    }
    return Promise.all(ready)
  }

  /** Takes a worker back after a job settled; one that is no longer sound is killed instead of kept. */
  release(worker: PooledWorker, sound: boolean): void {
    if (!sound || worker.exited || this.#closed) {
      this.#workers.delete(worker)
      worker.kill()
      return
    }
    // Still busy, or already waiting as idle (two of its jobs settled in a row): one idle timer per worker,
    // or a stray one would later retire it while it holds a job.
    if (worker.load > 0 || this.#idleTimers.has(worker)) return
    if (this.#workers.size > this.#options.maxWorkers) return this.#retire(worker)
    const timer = setTimeout(() => this.#retire(worker), this.#options.idleMs)
    timer.unref()
    this.#idleTimers.set(worker, timer)
  }

  /** Kills every worker; resolves once all have exited. */
  close(): Promise<void> {
    this.#closed = true
    const exits = [...this.#workers].map((worker) => worker.whenExited)
    for (const worker of this.#workers) worker.kill()
    for (const timer of this.#idleTimers.values()) clearTimeout(timer)
    this.#workers.clear()
    this.#idleTimers.clear()
    return Promise.all(exits).then(() => undefined)
  }

  /** Busy with a job that has run longer than jobs typically take (at least `stallMs`, at most `maxStallMs`). */
  stalled(worker: PooledWorker, now: number): boolean {
    return this.stalledIn(worker, now) < 0
  }

  /** How long until the job this worker runs counts as a long one, in milliseconds (negative once it does). */
  stalledIn(worker: PooledWorker, now: number): number {
    return this.#stallAfterMs - worker.runningFor(now)
  }

  /** Whether a job waiting behind a long one could start sooner elsewhere: a worker is, or could be, free of long jobs. */
  hasUnstalled(now: number): boolean {
    if (this.#workers.size < this.#options.maxWorkers) return true
    for (const worker of this.#workers) if (!worker.exited && !this.stalled(worker, now)) return true
    return false
  }

  #start(): PooledWorker {
    const worker = new PooledWorker(this.#launcher, this.#options.launch, this.#options.limits, () =>
      this.#followJobs(),
    )
    worker.lowWater = lowWater(this.#options.depth)
    this.#workers.add(worker)
    return worker
  }

  /**
   * A worker died of an error it could not tell the job of: the workers started from now on follow each job's
   * callbacks and promises, so that a job whose code leaves such errors fails alone (see `followJobsEnv`).
   */
  #followJobs(): void {
    const launch = this.#options.launch
    if (launch.env?.[followJobsEnv]) return
    this.#options.launch = { ...launch, env: { ...launch.env, [followJobsEnv]: '1' } }
  }

  #busy(worker: PooledWorker): void {
    clearTimeout(this.#idleTimers.get(worker))
    this.#idleTimers.delete(worker)
  }

  #retire(worker: PooledWorker): void {
    this.#busy(worker)
    this.#workers.delete(worker)
    worker.send({ t: 'shutdown' })
    const force = setTimeout(() => worker.kill(), 2000)
    force.unref()
  }
}
