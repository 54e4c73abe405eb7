import type { LaunchOptions, WorkerExit, WorkerLauncher, WorkerProcess } from './launcher'
import { workerMessage, type MainMessage, type WorkerMessage } from './protocol'
import { killTree } from './process-tree'

const stderrTailBytes = 8 * 1024

/** What the attempt running on a worker hears from it. */
export interface WorkerListener {
  message(message: WorkerMessage): void
  /** The worker broke the protocol (malformed or too many messages); it has been killed. */
  broken(reason: string): void
  exit(exit: WorkerExit, stderrTail: string): void
}

export interface WorkerLimits {
  /** More messages than this within one second means the worker is flooding; it is killed. */
  maxMessagesPerSecond: number
}

/**
 * One long-lived worker process and what Spool knows about it: whether it has said it is ready, the child
 * processes its current job reported, and the tail of what it wrote to stderr.
 */
export class PooledWorker {
  readonly process: WorkerProcess
  readonly ready: Promise<boolean>
  readonly childPids = new Set<number>()
  #listener: WorkerListener | null = null
  #stderr = ''
  #exit: WorkerExit | null = null
  #second = 0
  #messagesThisSecond = 0
  readonly #limits: WorkerLimits

  constructor(launcher: WorkerLauncher, options: LaunchOptions, limits: WorkerLimits) {
    this.#limits = limits
    this.process = launcher.launch(options)
    this.process.onOutput((stream, chunk) => {
      if (stream === 'stderr') this.#stderr = (this.#stderr + chunk).slice(-stderrTailBytes)
    })
    this.ready = new Promise((resolve) => {
      this.process.onMessage((raw) => {
        if ((raw as { t?: unknown })?.t === 'ready') resolve(true)
        else this.#receive(raw)
      })
      this.process.onExit((exit) => {
        this.#exit = exit
        resolve(false)
        this.#killChildren()
        this.#listener?.exit(exit, this.#stderr)
      })
    })
  }

  get exited(): boolean {
    return this.#exit !== null
  }

  get stderrTail(): string {
    return this.#stderr
  }

  listen(listener: WorkerListener | null): void {
    this.#listener = listener
  }

  send(message: MainMessage): void {
    if (!this.#exit) this.process.send(message)
  }

  /** Kills the worker and every child it reported, at once. */
  kill(): void {
    this.#killChildren()
    if (this.#exit) return
    const pid = this.process.pid
    if (pid) killTree(pid, 'SIGKILL')
    this.process.kill()
  }

  #killChildren(): void {
    for (const pid of this.childPids) killTree(pid, 'SIGKILL')
    this.childPids.clear()
  }

  #receive(raw: unknown): void {
    const second = Math.floor(Date.now() / 1000)
    if (second !== this.#second) {
      this.#second = second
      this.#messagesThisSecond = 0
    }
    if (++this.#messagesThisSecond > this.#limits.maxMessagesPerSecond) {
      return this.#break(`The worker sent more than ${this.#limits.maxMessagesPerSecond} messages in one second`)
    }
    const parsed = workerMessage.safeParse(raw)
    if (!parsed.success) return this.#break('The worker sent a malformed message')
    const message = parsed.data
    if (message.t === 'child') this.childPids.add(message.pid)
    else if (message.t === 'child-exit') this.childPids.delete(message.pid)
    this.#listener?.message(message)
  }

  #break(reason: string): void {
    const listener = this.#listener
    this.#listener = null
    this.kill()
    listener?.broken(reason)
  }
}
