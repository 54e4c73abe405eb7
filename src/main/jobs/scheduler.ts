import PQueue, { type QueueAddOptions } from 'p-queue'
import { DelayedJobs } from './delayed-jobs'
import { Line, RunOrder, runsBefore, type InLine } from './run-order'

/** The jobs a store held queued at start, in run order (see `StoredQueue`). */
export interface StoredPages {
  readonly done: boolean
  next(limit: number): { id: string; priority: number; runAfter: number | null }[]
}

interface Ready extends InLine {
  id: string
  token: number
}

/** Jobs found waiting at start are read from the store this many at a time, when fewer than half a page is ready. */
const pageSize = 1_000
/**
 * p-queue holds at most this many ready jobs beyond those it may run at once; the rest wait in a plain line
 * (see `#ready`). Each job p-queue holds costs a promise and closures, and a queue of tens of thousands of
 * them kept the garbage collector copying them for as long as they waited.
 */
const minWindow = 256

/**
 * Decides what runs next: p-queue orders ready jobs by priority (ties by job id, see `RunOrder`) and bounds how
 * many run at once; jobs with a `runAfter` in the future wait in `DelayedJobs` until they are due. Removing a
 * queued job is O(1): its entry is simply no longer current when p-queue reaches it.
 */
export class Scheduler {
  readonly #queue: PQueue<RunOrder, QueueAddOptions>
  readonly #run: (id: string) => Promise<void>
  readonly #onError: (error: unknown) => void
  readonly #current = new Map<string, number>()
  /** Ready jobs not handed to p-queue yet: each runs after every job p-queue holds. */
  readonly #waiting = new Line<Ready>()
  #feeding = false
  readonly #delayed = new DelayedJobs((entry) => {
    // Only if still current: a job cancelled and queued again since has an entry of its own.
    if (this.#current.get(entry.id) === entry.token) this.#readyInTurn(entry.id, entry.priority, entry.token)
  })
  /** Stored jobs still being read: where the reading is, and jobs queued another way whose turn lies beyond it. */
  #stored: { pages: StoredPages; last: { priority: number; id: number } | null; held: Map<string, number> } | null =
    null
  #readDue: NodeJS.Immediate | null = null
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
    return this.#queue.size + this.#waiting.size
  }

  /** Every queued job, including the stored ones not read yet (they are read now). */
  ids(): string[] {
    while (this.#stored) this.#readPage()
    return [...this.#current.keys()]
  }

  enqueue(id: string, priority: number, runAfter?: number | null): void {
    const token = this.#nextToken++
    this.#current.set(id, token)
    if (runAfter && runAfter > Date.now()) this.#delayed.add({ id, token, priority, at: runAfter })
    else this.#readyInTurn(id, priority, token)
  }

  /**
   * Queues the jobs found waiting at start, read from the store a page at a time in run order: the first page
   * at once, each next one when the jobs ready to start run low, so a queue of 100,000 neither holds up the
   * first job nor sits in memory.
   * A job queued another way meanwhile (retried, submitted) whose turn comes after the last one read waits
   * until the reading gets there, so that the jobs before it in line, not read yet, still run first.
   */
  enqueueStored(pages: StoredPages): void {
    this.#stored = { pages, last: null, held: new Map() }
    this.#readPage()
  }

  /**
   * Forgets a queued job; answers whether it may still be waiting: known here, or maybe among the stored jobs
   * not read yet. The store has the last word (a job it no longer holds queued is simply not found there).
   */
  remove(id: string): boolean {
    return this.#current.delete(id) || this.#stored !== null
  }

  pause(): void {
    this.#queue.pause()
  }

  resume(): void {
    this.#queue.start()
  }

  stop(): void {
    this.#stopped = true
    this.#stored = null
    if (this.#readDue) clearImmediate(this.#readDue)
    this.#queue.pause()
    this.#queue.clear()
    this.#waiting.clear()
    this.#current.clear()
    this.#delayed.clear()
  }

  /** Ready now, or, while stored jobs are being read, once the reading has got to its turn. */
  #readyInTurn(id: string, priority: number, token: number): void {
    const last = this.#stored?.last
    if (last && (priority < last.priority || (priority === last.priority && Number(id) > last.id)))
      this.#stored?.held.set(id, priority)
    else this.#ready(id, priority, token)
  }

  /** Reads the next stored page once this turn is done, when fewer than half a page of jobs is ready. */
  #readSoon(): void {
    if (!this.#stored || this.#readDue || this.ready >= pageSize / 2) return
    this.#readDue = setImmediate(() => {
      this.#readDue = null
      this.#readPage()
    })
  }

  #readPage(): void {
    const stored = this.#stored
    if (!stored || this.#stopped) return
    let page: ReturnType<StoredPages['next']> = []
    try {
      page = stored.pages.next(pageSize)
    } catch (error) {
      // The rest stays queued in the store, and runs at the next start.
      this.#stored = null
      this.#onError(error)
    }
    const now = Date.now()
    for (const { id, priority, runAfter } of page) {
      // Queued another way since start: that entry stands.
      if (this.#current.has(id)) continue
      const token = this.#nextToken++
      this.#current.set(id, token)
      if (runAfter && runAfter > now) this.#delayed.add({ id, token, priority, at: runAfter })
      else this.#ready(id, priority, token)
    }
    const last = page[page.length - 1]
    if (last) stored.last = { priority: last.priority, id: Number(last.id) }
    if (this.#stored && stored.pages.done) this.#stored = null
    const held = [...stored.held]
    stored.held.clear()
    for (const [id, priority] of held) {
      const token = this.#current.get(id)
      if (token !== undefined) this.#readyInTurn(id, priority, token)
    }
    this.#readSoon()
  }

  /**
   * Hands a ready job to p-queue, or, while p-queue holds a full window, puts it in line behind. Every job in
   * p-queue runs before every job in line: a job that runs before the first in line goes to p-queue at once.
   */
  #ready(id: string, priority: number, token: number): void {
    const entry: Ready = { id, priority, token, order: Number(id) || 0 }
    const first = this.#waiting.peek()
    if (first ? runsBefore(entry, first) : this.#queue.size < this.#window()) this.#add(entry)
    else this.#waiting.add(entry)
  }

  #window(): number {
    return Math.max(minWindow, 2 * this.#queue.concurrency)
  }

  /** Moves jobs from the line into p-queue while it holds less than a window. */
  #feed(): void {
    if (this.#feeding) return
    this.#feeding = true
    try {
      const window = this.#window()
      while (this.#queue.size < window) {
        const entry = this.#waiting.shift()
        if (!entry) break
        this.#add(entry)
      }
    } finally {
      this.#feeding = false
    }
  }

  #add({ id, priority, token }: Ready): void {
    void this.#queue.add(
      // Not async: p-queue waits for the job's own promise, without another made and awaited around it.
      () => {
        const current = this.#current.get(id) === token
        if (current) this.#current.delete(id)
        // Started before the line moves up: feeding p-queue may start the next job at once.
        const running = current ? this.#run(id).catch(this.#onError) : undefined
        this.#feed()
        this.#readSoon()
        return running ?? Promise.resolve()
      },
      { priority, id },
    )
  }
}
