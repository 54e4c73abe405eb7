import type { Queue, QueueAddOptions } from 'p-queue'

type RunFunction = () => Promise<unknown>

/** What decides a job's place in line. */
export interface InLine {
  priority: number
  /** The job's id as a number: ids rise in submission order. */
  order: number
}

/** Whether `a` runs before `b`: higher priority first, then the job submitted first. */
export function runsBefore(a: InLine, b: InLine): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.order < b.order
}

/**
 * Entries kept in run order as a sorted array read from a moving head: the usual case (a new job, the lowest
 * priority so far) is an append, and taking the first is O(1).
 */
export class Line<T extends InLine> {
  #entries: T[] = []
  #head = 0

  get size(): number {
    return this.#entries.length - this.#head
  }

  /** The entry that runs first, left in line. */
  peek(): T | undefined {
    return this.#entries[this.#head]
  }

  add(entry: T): void {
    const last = this.#entries[this.#entries.length - 1]
    if (this.size === 0 || (last && runsBefore(last, entry))) {
      this.#entries.push(entry)
      return
    }
    this.#compact()
    let low = 0
    let high = this.#entries.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (runsBefore(this.#entries[mid] as T, entry)) low = mid + 1
      else high = mid
    }
    this.#entries.splice(low, 0, entry)
  }

  /** Takes the entry that runs first. */
  shift(): T | undefined {
    const entry = this.#entries[this.#head]
    if (!entry) return undefined
    this.#head++
    if (this.#head === this.#entries.length) this.clear()
    else if (this.#head > 1024 && this.#head > this.#entries.length / 2) this.#compact()
    return entry
  }

  /** The entries still in line, in order (a copy). */
  live(): T[] {
    return this.#entries.slice(this.#head)
  }

  /** Removes the first entry that matches and answers it. */
  removeWhere(matches: (entry: T) => boolean): T | undefined {
    const index = this.#entries.findIndex((entry, at) => at >= this.#head && matches(entry))
    return index >= 0 ? this.#entries.splice(index, 1)[0] : undefined
  }

  clear(): void {
    this.#entries = []
    this.#head = 0
  }

  #compact(): void {
    if (this.#head === 0) return
    this.#entries.splice(0, this.#head)
    this.#head = 0
  }
}

interface Entry extends InLine {
  run: RunFunction
  id: string
}

/**
 * p-queue's queue of ready jobs, in the order the store reports as the queue's order: by priority, then by
 * job id. A job handed back (taken from a busy worker, or retried after a failure) takes its old place in
 * line instead of going to the back.
 */
export class RunOrder implements Queue<RunFunction, QueueAddOptions> {
  readonly #line = new Line<Entry>()

  get size(): number {
    return this.#line.size
  }

  enqueue(run: RunFunction, options?: Partial<QueueAddOptions>): void {
    const id = options?.id ?? ''
    this.#line.add({ run, id, priority: options?.priority ?? 0, order: Number(id) || 0 })
  }

  dequeue(): RunFunction | undefined {
    return this.#line.shift()?.run
  }

  filter(options: Readonly<Partial<QueueAddOptions>>): RunFunction[] {
    return this.#line
      .live()
      .filter((entry) => entry.priority === options.priority)
      .map((entry) => entry.run)
  }

  setPriority(id: string, priority: number): void {
    const entry = this.#line.removeWhere((candidate) => candidate.id === id)
    if (!entry) throw new ReferenceError(`No queued job with the id "${id}"`)
    this.enqueue(entry.run, { id, priority })
  }

  remove(id: string): void {
    this.#line.removeWhere((entry) => entry.id === id)
  }
}
