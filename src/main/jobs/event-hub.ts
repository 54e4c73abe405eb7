import type { EventBatch, EventListener, JobEvent } from '../../shared/events'
import type { Progress, QueueState } from '../../shared/job'

/**
 * Coalesces engine events into batches, at most one per `frameMs`, each with a `seq` one higher than the
 * last. Within a batch, a job's progress events collapse into its latest; queue state is sent once, last.
 * After a quiet spell the first events leave at the end of the current turn instead of a frame later, so a
 * lone progress report or a cancel shows at once; only a stream of events waits for the frame.
 *
 * Events nobody listens for are not kept: a listener receives what happens from the moment it subscribes (a
 * snapshot taken first tells it what happened before), and code that drives the engine without listening
 * pays nothing for batches no one reads.
 */
export class EventHub {
  readonly #frameMs: number
  readonly #listeners = new Set<EventListener>()
  #events: JobEvent[] = []
  /** Index in `#events` of each job's pending progress event, so a newer one replaces it in place. */
  #progressAt = new Map<string, number>()
  #queue: (() => QueueState) | null = null
  #timer: NodeJS.Timeout | null = null
  #immediate: NodeJS.Immediate | null = null
  #lastFlush = -Infinity
  #seq = 0

  readonly #beforeFlush: () => void

  /** `beforeFlush` runs before each batch leaves: the engine commits there, so no event outruns its write. */
  constructor(frameMs = 16, beforeFlush: () => void = () => {}) {
    this.#frameMs = frameMs
    this.#beforeFlush = beforeFlush
  }

  get seq(): number {
    return this.#seq
  }

  /**
   * Someone listens. Otherwise an event, and the copy of its job it carries, is thrown away unread: the engine
   * makes neither for each start and success of a stream of short jobs.
   */
  get listening(): boolean {
    return this.#listeners.size > 0
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit(event: JobEvent): void {
    if (this.#listeners.size === 0) return
    this.#events.push(event)
    this.#schedule()
  }

  progress(id: string, progress: Progress): void {
    if (this.#listeners.size === 0) return
    const at = this.#progressAt.get(id)
    if (at !== undefined) {
      this.#events[at] = { type: 'progress', id, progress }
      return
    }
    this.#progressAt.set(id, this.#events.length)
    this.#events.push({ type: 'progress', id, progress })
    this.#schedule()
  }

  /** Marks the queue state as changed; it is read once, when the batch goes out. */
  queueChanged(read: () => QueueState): void {
    if (this.#listeners.size === 0) return
    this.#queue = read
    this.#schedule()
  }

  /** Sends whatever is pending now (a snapshot calls this so that it reflects exactly `seq`). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer)
    if (this.#immediate) clearImmediate(this.#immediate)
    this.#timer = this.#immediate = null
    if (this.#queue) this.#events.push({ type: 'queue', queue: this.#queue() })
    this.#queue = null
    if (this.#events.length === 0) return
    this.#lastFlush = performance.now()
    this.#beforeFlush()
    const batch: EventBatch = { seq: ++this.#seq, events: this.#events }
    this.#events = []
    this.#progressAt = new Map()
    for (const listener of this.#listeners) {
      try {
        listener(batch)
      } catch (error) {
        // One listener's bug must not starve the others of events.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer)
    if (this.#immediate) clearImmediate(this.#immediate)
    this.#timer = this.#immediate = null
    this.#listeners.clear()
  }

  #schedule(): void {
    if (this.#timer || this.#immediate) return
    const wait = this.#lastFlush + this.#frameMs - performance.now()
    if (wait <= 0) this.#immediate = setImmediate(() => this.flush())
    else this.#timer = setTimeout(() => this.flush(), wait)
  }
}
