import type { Queue, QueueAddOptions } from 'p-queue'

type RunFunction = () => Promise<unknown>

interface Entry {
  run: RunFunction
  priority: number
  /** The job's id as a number: ids rise in submission order. */
  order: number
  id: string
}

/** Whether `a` runs before `b`: higher priority first, then the job submitted first. */
function before(a: Entry, b: Entry): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.order < b.order
}

/**
 * p-queue's queue of ready jobs, in the order the store reports as the queue's order: by priority, then by
 * job id. A job handed back (taken from a busy worker, or retried after a failure) takes its old place in
 * line instead of going to the back. Kept as a sorted array read from a moving head: the usual case (a new
 * job, the lowest priority so far) is an append, and taking the next job is O(1).
 */
export class RunOrder implements Queue<RunFunction, QueueAddOptions> {
  #entries: Entry[] = []
  #head = 0

  get size(): number {
    return this.#entries.length - this.#head
  }

  enqueue(run: RunFunction, options?: Partial<QueueAddOptions>): void {
    const id = options?.id ?? ''
    const entry: Entry = { run, id, priority: options?.priority ?? 0, order: Number(id) || 0 }
    const last = this.#entries[this.#entries.length - 1]
    if (this.size === 0 || (last && before(last, entry))) {
      this.#entries.push(entry)
      return
    }
    this.#compact()
    let low = 0
    let high = this.#entries.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (before(this.#entries[mid] as Entry, entry)) low = mid + 1
      else high = mid
    }
    this.#entries.splice(low, 0, entry)
  }

  dequeue(): RunFunction | undefined {
    const entry = this.#entries[this.#head]
    if (!entry) return undefined
    this.#head++
    if (this.#head === this.#entries.length) this.#clear()
    else if (this.#head > 1024 && this.#head > this.#entries.length / 2) this.#compact()
    return entry.run
  }

  filter(options: Readonly<Partial<QueueAddOptions>>): RunFunction[] {
    return this.#live()
      .filter((entry) => entry.priority === options.priority)
      .map((entry) => entry.run)
  }

  setPriority(id: string, priority: number): void {
    const live = this.#live()
    const index = live.findIndex((entry) => entry.id === id)
    const entry = live[index]
    if (!entry) throw new ReferenceError(`No queued job with the id "${id}"`)
    this.#entries.splice(this.#head + index, 1)
    this.enqueue(entry.run, { id, priority })
  }

  remove(id: string): void {
    const index = this.#live().findIndex((entry) => entry.id === id)
    if (index >= 0) this.#entries.splice(this.#head + index, 1)
  }

  #live(): Entry[] {
    return this.#entries.slice(this.#head)
  }

  #clear(): void {
    this.#entries = []
    this.#head = 0
  }

  #compact(): void {
    if (this.#head === 0) return
    this.#entries.splice(0, this.#head)
    this.#head = 0
  }
}
