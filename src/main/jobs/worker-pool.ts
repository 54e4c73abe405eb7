import type { LaunchOptions, WorkerLauncher } from './launcher'
import { PooledWorker, type WorkerLimits } from './pooled-worker'

export interface PoolOptions {
  launch: LaunchOptions
  limits: WorkerLimits
  /** An idle worker exits after this long. */
  idleMs: number
}

/**
 * Long-lived worker processes, reused across jobs: a job takes an idle one or starts a new one, and gives
 * it back when done. A worker that died or misbehaved is never given out again.
 */
export class WorkerPool {
  readonly #launcher: WorkerLauncher
  readonly #options: PoolOptions
  readonly #idle = new Map<PooledWorker, NodeJS.Timeout>()
  readonly #busy = new Set<PooledWorker>()
  #closed = false

  constructor(launcher: WorkerLauncher, options: PoolOptions) {
    this.#launcher = launcher
    this.#options = options
  }

  get size(): number {
    return this.#idle.size + this.#busy.size
  }

  acquire(): PooledWorker {
    for (const [worker, timer] of this.#idle) {
      clearTimeout(timer)
      this.#idle.delete(worker)
      if (worker.exited) continue
      this.#busy.add(worker)
      return worker
    }
    const worker = new PooledWorker(this.#launcher, this.#options.launch, this.#options.limits)
    this.#busy.add(worker)
    return worker
  }

  /** Takes a worker back; one that is no longer sound is killed instead of kept. */
  release(worker: PooledWorker, sound: boolean): void {
    this.#busy.delete(worker)
    worker.listen(null)
    if (!sound || worker.exited || this.#closed) {
      worker.kill()
      return
    }
    const timer = setTimeout(() => this.#retire(worker), this.#options.idleMs)
    timer.unref()
    this.#idle.set(worker, timer)
  }

  /** Ends idle workers beyond `count` (after the concurrency was lowered). */
  trimIdle(count: number): void {
    for (const worker of [...this.#idle.keys()].slice(count)) this.#retire(worker)
  }

  close(): void {
    this.#closed = true
    for (const worker of [...this.#idle.keys()]) this.#retire(worker)
    for (const worker of this.#busy) worker.kill()
    this.#busy.clear()
  }

  #retire(worker: PooledWorker): void {
    const timer = this.#idle.get(worker)
    if (timer) clearTimeout(timer)
    this.#idle.delete(worker)
    worker.send({ t: 'shutdown' })
    const force = setTimeout(() => worker.kill(), 2000)
    force.unref()
  }
}
