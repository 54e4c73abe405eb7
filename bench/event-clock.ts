import type { JobEventType } from '../src/shared/events'
import type { Spool } from '../src/main/jobs'
import { subscribeWindows } from './fake-windows'

/**
 * When each job event reached a window (three fake windows, subscribed as the Electron shell subscribes
 * them; timed at the last, which is served last), in `performance.now()` time.
 */
export class EventClock {
  readonly #seen = new Map<string, number>()
  readonly #waiting = new Map<string, (at: number) => void>()
  readonly #unsubscribe: () => void

  constructor(spool: Spool, windows = 3) {
    this.#unsubscribe = subscribeWindows(spool, windows, (batch, window) => {
      if (window !== windows - 1) return
      const at = performance.now()
      for (const event of batch.events) {
        if (!('id' in event)) continue
        const key = `${event.id} ${event.type}`
        this.#seen.set(key, at)
        this.#waiting.get(key)?.(at)
        this.#waiting.delete(key)
      }
    }).unsubscribe
  }

  /** Resolves with the time the job's event arrived (at once if it already has). */
  when(id: string, type: JobEventType, timeoutMs = 30_000): Promise<number> {
    const key = `${id} ${type}`
    const seen = this.#seen.get(key)
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event for job ${id}`)), timeoutMs)
      this.#waiting.set(key, (at) => {
        clearTimeout(timer)
        resolve(at)
      })
    })
  }

  close(): void {
    this.#unsubscribe()
  }
}
