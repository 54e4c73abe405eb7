import type { MainMessage } from './protocol'

/**
 * What the host sends one worker. Messages sent in one turn of the event loop leave together, as one port
 * message: a burst of dispatches (many short jobs finishing at once) costs the worker one wake-up instead of one
 * per job. Jobs to run wait while the worker holds more than `lowWater`; anything else leaves with this turn.
 */
export class WorkerOutbox {
  /**
   * Jobs to run are held back while the worker has more than this many: they then leave together, when it
   * gets down to it, and a stream of short jobs travels in fewer, larger messages (set from the pipeline depth).
   */
  lowWater = 1
  readonly #port: { send(message: MainMessage | MainMessage[]): void; isOpen(): boolean }
  #waiting: MainMessage[] = []
  #due: NodeJS.Immediate | null = null
  /** Jobs whose `run` message has left and that have not settled (what the worker holds), and when it left. */
  readonly #inWorker = new Map<string, number>()

  /** `port.send` puts one message, or several that leave together, on the port; nothing leaves once it is not open. */
  constructor(port: { send(message: MainMessage | MainMessage[]): void; isOpen(): boolean }) {
    this.#port = port
  }

  /** How many jobs the worker holds. */
  get held(): number {
    return this.#inWorker.size
  }

  /** When the job's `run` message left (`performance.now()`), or undefined while it has not. */
  sentAt(jobId: string): number | undefined {
    return this.#inWorker.get(jobId)
  }

  push(message: MainMessage): void {
    this.#waiting.push(message)
    this.#sendSoon()
  }

  /** Takes back a job's `run` message that has not left yet; answers whether it was there. */
  withdraw(jobId: string): boolean {
    const index = this.#waiting.findIndex((message) => message.t === 'run' && message.jobId === jobId)
    if (index < 0) return false
    this.#waiting.splice(index, 1)
    return true
  }

  /** The job settled: the worker no longer holds it, and jobs held back may leave. */
  settled(jobId: string): void {
    if (this.#inWorker.delete(jobId) && this.#waiting.length > 0) this.#sendSoon()
  }

  #sendSoon(): void {
    if (this.#due) return
    this.#due = setImmediate(() => {
      this.#due = null
      this.#sendWaiting()
    })
  }

  #sendWaiting(): void {
    const messages = this.#waiting
    if (messages.length === 0 || !this.#port.isOpen()) return
    const onlyRuns = messages.every((message) => message.t === 'run')
    if (onlyRuns && this.#inWorker.size > this.lowWater) return
    this.#waiting = []
    const now = performance.now()
    for (const message of messages) if (message.t === 'run') this.#inWorker.set(message.jobId, now)
    this.#port.send(messages.length === 1 ? (messages[0] as MainMessage) : messages)
  }
}
