import type { LaunchOptions, WorkerLauncher } from './launcher'
import { PooledWorker, type WorkerLimits } from './pooled-worker'

export interface PoolOptions {
  launch: LaunchOptions
  limits: WorkerLimits
  /** How many worker processes at most (the concurrency). */
  maxWorkers: number
  /** Jobs sent to one worker at once: one running, the rest waiting their turn there. */
  depth: number
  /** An idle worker exits after this long. */
  idleMs: number
}

/**
 * Long-lived worker processes, reused across jobs. A job goes to an idle worker, else to a new one while
 * there are fewer than `maxWorkers`, else to the least loaded, where it waits its turn. A worker that died or
 * misbehaved is never given a job again.
 */
export class WorkerPool {
  readonly #launcher: WorkerLauncher
  readonly #options: PoolOptions
  readonly #workers = new Set<PooledWorker>()
  readonly #idleTimers = new Map<PooledWorker, NodeJS.Timeout>()
  #closed = false

  constructor(launcher: WorkerLauncher, options: PoolOptions) {
    this.#launcher = launcher
    this.#options = { ...options }
  }

  set maxWorkers(value: number) {
    this.#options.maxWorkers = value
    const idle = [...this.#idleTimers.keys()]
    for (const worker of idle.slice(0, Math.max(0, this.#workers.size - value))) this.#retire(worker)
  }

  /** True when some started worker has nothing to do. */
  get hasIdle(): boolean {
    for (const worker of this.#idleTimers.keys()) if (worker.isReady) return true
    return false
  }

  acquire(): PooledWorker {
    for (const worker of this.#idleTimers.keys()) {
      this.#busy(worker)
      if (!worker.exited) return worker
      this.#workers.delete(worker)
    }
    let least: PooledWorker | undefined
    for (const worker of this.#workers) {
      if (!worker.exited && worker.load < this.#options.depth && (!least || worker.load < least.load)) least = worker
    }
    if (least && this.#workers.size >= this.#options.maxWorkers) return least
    const worker = new PooledWorker(this.#launcher, this.#options.launch, this.#options.limits)
    this.#workers.add(worker)
    return worker
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

  close(): void {
    this.#closed = true
    for (const worker of this.#workers) worker.kill()
    for (const timer of this.#idleTimers.values()) clearTimeout(timer)
    this.#workers.clear()
    this.#idleTimers.clear()
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
