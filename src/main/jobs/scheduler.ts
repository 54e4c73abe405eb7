import PQueue, { type QueueAddOptions } from 'p-queue'
import { RunOrder } from './run-order'

interface Delayed {
  id: string
  token: number
  priority: number
  at: number
}

/** Jobs found waiting at start are handed to p-queue this many at a time. */
const sliceSize = 2_000
/** setTimeout's limit; a job due later is looked at again when this much time has passed. */
const maxTimerMs = 2 ** 31 - 1

/**
 * Decides what runs next: p-queue orders ready jobs by priority (ties by job id, see `RunOrder`) and bounds how
 * many run at once; jobs with a `runAfter` in the future wait in a list sorted by due time, woken by one
 * timer set for the earliest (no polling). Removing a queued job is O(1): its entry is simply no longer
 * current when p-queue reaches it.
 */
export class Scheduler {
  readonly #queue: PQueue<RunOrder, QueueAddOptions>
  readonly #run: (id: string) => Promise<void>
  readonly #onError: (error: unknown) => void
  readonly #current = new Map<string, number>()
  #delayed: Delayed[] = []
  #timer: NodeJS.Timeout | null = null
  #nextToken = 1
  #stopped = false
  #concurrency: number
  #depth: number

  /**
   * `depth` jobs per unit of concurrency are handed out at once: one runs, the others wait their turn in the
   * worker, so it never sits idle waiting for the next job to arrive.
   */
  constructor(options: {
    concurrency: number
    depth: number
    run: (id: string) => Promise<void>
    onError: (error: unknown) => void
  }) {
    this.#concurrency = options.concurrency
    this.#depth = options.depth
    this.#queue = new PQueue({ concurrency: options.concurrency * options.depth, queueClass: RunOrder })
    this.#run = options.run
    this.#onError = options.onError
  }

  get paused(): boolean {
    return this.#queue.isPaused
  }

  get concurrency(): number {
    return this.#concurrency
  }

  set concurrency(value: number) {
    this.#concurrency = value
    this.#queue.concurrency = value * this.#depth
  }

  /** Jobs handed out per unit of concurrency (see `PipelineDepth`). */
  set depth(value: number) {
    this.#depth = value
    this.#queue.concurrency = this.#concurrency * value
  }

  /** Jobs ready to start that wait for a free slot. */
  get ready(): number {
    return this.#queue.size
  }

  /** Queued jobs this scheduler will still start (ready and delayed). */
  get waiting(): number {
    return this.#current.size
  }

  has(id: string): boolean {
    return this.#current.has(id)
  }

  ids(): string[] {
    return [...this.#current.keys()]
  }

  enqueue(id: string, priority: number, runAfter?: number | null): void {
    const token = this.#nextToken++
    this.#current.set(id, token)
    if (runAfter && runAfter > Date.now()) this.#delay({ id, token, priority, at: runAfter })
    else this.#ready(id, priority, token)
  }

  /**
   * Queues many jobs at once (those found waiting at start): the first are ready at once and the rest join the
   * line in slices, so that a queue of 100,000 does not hold up the first job. Each counts as queued (for
   * `has`, `remove`, `ids`) from the start. `entries` come in run order (priority, then id).
   */
  enqueueAll(entries: readonly { id: string; priority: number; runAfter: number | null }[]): void {
    const ready: [string, number, number][] = []
    for (const { id, priority, runAfter } of entries) {
      const token = this.#nextToken++
      this.#current.set(id, token)
      if (runAfter && runAfter > Date.now()) this.#delay({ id, token, priority, at: runAfter })
      else ready.push([id, priority, token])
    }
    const slice = (from: number) => {
      if (this.#stopped) return
      const end = Math.min(ready.length, from + sliceSize)
      for (let i = from; i < end; i++) {
        const [id, priority, token] = ready[i] as [string, number, number]
        if (this.#current.get(id) === token) this.#ready(id, priority, token)
      }
      if (end < ready.length) setImmediate(slice, end)
    }
    slice(0)
  }

  /** Forgets a queued job; answers whether it was still waiting. */
  remove(id: string): boolean {
    return this.#current.delete(id)
  }

  pause(): void {
    this.#queue.pause()
  }

  resume(): void {
    this.#queue.start()
  }

  stop(): void {
    this.#stopped = true
    this.#queue.pause()
    this.#queue.clear()
    this.#current.clear()
    this.#delayed = []
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }

  #ready(id: string, priority: number, token: number): void {
    void this.#queue.add(
      async () => {
        if (this.#current.get(id) !== token) return
        this.#current.delete(id)
        await this.#run(id).catch(this.#onError)
      },
      { priority, id },
    )
  }

  #delay(entry: Delayed): void {
    let low = 0
    let high = this.#delayed.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.#delayed[mid] as Delayed).at <= entry.at) low = mid + 1
      else high = mid
    }
    this.#delayed.splice(low, 0, entry)
    if (low === 0) this.#arm()
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    const first = this.#delayed[0]
    if (!first) return
    this.#timer = setTimeout(() => this.#wake(), Math.min(maxTimerMs, Math.max(0, first.at - Date.now())))
    this.#timer.unref()
  }

  #wake(): void {
    const now = Date.now()
    let due = 0
    while (due < this.#delayed.length && (this.#delayed[due] as Delayed).at <= now) due++
    for (const entry of this.#delayed.splice(0, due)) {
      // Only if still current: a job cancelled and queued again since has an entry of its own.
      if (this.#current.get(entry.id) === entry.token) this.#ready(entry.id, entry.priority, entry.token)
    }
    this.#arm()
  }
}
