export interface Delayed {
  id: string
  token: number
  priority: number
  /** When it is due, by the wall clock (`runAfter`). */
  at: number
}

interface Entry extends Delayed {
  /** The wall clock's offset from the monotonic one when the delay was set. */
  offset: number
}

/**
 * How late a delayed job may start after the wall clock jumped past its time: timers count monotonic time,
 * which stands still while the computer sleeps, so a timer alone would start it that much late.
 */
const recheckMs = 1_000
/** A wall clock set back by less than this is a drift correction, not a jump. */
const jumpMs = 1_000

const wallOffset = () => Date.now() - performance.now()

/**
 * Jobs whose `runAfter` lies ahead, sorted by due time and woken by one timer for the earliest (no polling
 * loop: the timer looks at the clock at most once a second, only while jobs wait here).
 *
 * A job is due when the wall clock reaches its time (after a sleep or a clock set ahead, within a second), or
 * when as much time as it was delayed by has passed, whichever comes first: a clock set back an hour does not
 * turn a 5 s retry delay into an hour's wait.
 */
export class DelayedJobs {
  readonly #due: (job: Delayed) => void
  #entries: Entry[] = []
  #timer: NodeJS.Timeout | null = null
  /** The highest offset among the entries: a clock set back below it means some are due sooner. */
  #offset = -Infinity

  constructor(due: (job: Delayed) => void) {
    this.#due = due
  }

  add(job: Delayed): void {
    const entry = { ...job, offset: wallOffset() }
    this.#offset = Math.max(this.#offset, entry.offset)
    const low = this.#insert(entry)
    if (low === 0) this.#arm()
  }

  clear(): void {
    this.#entries = []
    this.#offset = -Infinity
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }

  #insert(entry: Entry): number {
    let low = 0
    let high = this.#entries.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.#entries[mid] as Entry).at <= entry.at) low = mid + 1
      else high = mid
    }
    this.#entries.splice(low, 0, entry)
    return low
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    const first = this.#entries[0]
    if (!first) return
    this.#timer = setTimeout(() => this.#wake(), Math.min(recheckMs, Math.max(0, first.at - Date.now())))
    this.#timer.unref()
  }

  #wake(): void {
    const offset = wallOffset()
    if (offset < this.#offset - jumpMs) this.#clockSetBack(offset)
    const now = Date.now()
    let due = 0
    while (due < this.#entries.length && (this.#entries[due] as Entry).at <= now) due++
    for (const entry of this.#entries.splice(0, due)) this.#due(entry)
    if (this.#entries.length === 0) this.#offset = -Infinity
    this.#arm()
  }

  /** Each job keeps the span it was delayed by: its time moves back with the clock (never later). */
  #clockSetBack(offset: number): void {
    for (const entry of this.#entries) {
      entry.at = Math.min(entry.at, entry.at - entry.offset + offset)
      entry.offset = offset
    }
    this.#entries.sort((a, b) => a.at - b.at)
    this.#offset = offset
  }
}
