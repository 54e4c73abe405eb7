import { rm } from 'node:fs/promises'
import type { LaunchOptions, WorkerExit, WorkerLauncher, WorkerProcess } from './launcher'
import { readWorkerMessage, type MainMessage, type WorkerMessage } from './protocol'
import { MessageRate } from './message-rate'
import { killTree } from './process-tree'
import { ReportedChildren } from './reported-children'
import { SilentStart } from './silent-start'
import { WorkerOutbox } from './worker-outbox'
import { StderrTail } from './stderr-tail'
import { workerTempRoot } from './worker/worker-temp'

const stderrTailBytes = 8 * 1024
const ends = new Set(['succeeded', 'failed', 'cancelled'])
/** A worker that has not said it is ready by then never will; its jobs go back to the queue. */
const startupTimeoutMs = 30_000
/** How long a worker killed for breaking the protocol is waited for, with the end of its stderr. */
const brokenExitMs = 1000

/** What an attempt sent to a worker hears from it. */
export interface WorkerListener {
  message(message: WorkerMessage): void
  /**
   * The worker broke the protocol (malformed or too many messages); it has been killed. `wasRunning`: this job
   * held the worker's turn (see `PooledWorker.isHead`), the one it broke running.
   */
  broken(reason: string, wasRunning: boolean): void
  /**
   * The worker exited. Called once what it wrote to stderr up to its end has arrived (it may come after the
   * exit itself): read it with `stderrOf`. `wasRunning`: this job held the worker's turn, or it was killed
   * for this job (a cancel past its grace period, the watchdog).
   */
  exit(exit: WorkerExit, wasRunning: boolean): void
  /**
   * The worker has held this job at the head of its line for `silentMs` without a word: it is running it,
   * though it has not said so (see `SilentStart`). The job's own word may still follow.
   */
  startedSilently(silentMs: number): void
}

export interface WorkerLimits {
  /** More messages than this within one second means the worker is flooding; it is killed. */
  maxMessagesPerSecond: number
}

/**
 * One long-lived worker process and what Spool knows about it: whether it has said it is ready, the jobs
 * sent to it (one running, the next waiting its turn), the child processes they reported, and the tail of
 * what it wrote to stderr.
 */
export class PooledWorker {
  readonly process: WorkerProcess
  readonly ready: Promise<boolean>
  readonly #children = new ReportedChildren()
  /**
   * `stderrWritten` when the job at the head of the line last settled or passed the turn on: what follows
   * belongs to the job that runs next. A job dropped while it waited behind another ran nothing, and does not
   * move it.
   */
  settledMark = 0
  /** Said it is ready and has not exited. */
  isReady = false
  /** When its last message arrived (`performance.now()`). */
  heardAt = 0
  /** The job it runs now and when it started (`performance.now()`), or null while it runs none. */
  #running: { jobId: string; since: number } | null = null
  readonly #listeners = new Map<string, WorkerListener>()
  /** Jobs that said they are placing their outputs: their work is done, and the turn has passed to the next. */
  readonly #placing = new Set<string>()
  /** The job the worker was killed for, or said it dies of (`fatal`): which job its death is. */
  #killedFor: string | undefined
  readonly #outbox = new WorkerOutbox({
    send: (message) => {
      this.process.send(message)
      this.#silence.watch()
    },
    isOpen: () => this.#exit === null,
  })
  /** Looks whether the job at the head of the line started without a word. */
  readonly #silence = new SilentStart({
    holdsJobs: () => this.#outbox.held > 0 && !this.exited,
    unannouncedHead: () => {
      const jobId = this.#turnHolder()
      const sentAt = jobId === undefined ? undefined : this.#outbox.sentAt(jobId)
      if (jobId === undefined || sentAt === undefined) return undefined
      return this.#saidStarted.has(jobId) || this.#running?.jobId === jobId ? undefined : { jobId, sentAt }
    },
    startedSilently: (jobId, since, silentMs) => {
      this.#running = { jobId, since }
      this.#listeners.get(jobId)?.startedSilently(silentMs)
    },
  })
  readonly #stderr = new StderrTail(stderrTailBytes)
  #exit: WorkerExit | null = null
  #killing = false
  readonly #rate: MessageRate
  readonly #onUntracedError: () => void
  /** Jobs held that said they started. */
  readonly #saidStarted = new Set<string>()
  /** Resolves once the worker exited and what it wrote to stderr last has arrived (as far as the launcher waits). */
  readonly #exitReported: Promise<void>

  /**
   * `onUntracedError`: the worker is dying of an error nothing caught and could not tell whose it was (it does
   * not follow jobs, see `followJobsEnv`).
   */
  constructor(
    launcher: WorkerLauncher,
    options: LaunchOptions,
    limits: WorkerLimits,
    onUntracedError: () => void = () => {},
  ) {
    this.#onUntracedError = onUntracedError
    this.#rate = new MessageRate(limits.maxMessagesPerSecond)
    this.process = launcher.launch(options)
    this.process.onOutput((stream, chunk) => {
      if (stream === 'stderr') this.#stderr.add(chunk)
    })
    const startup = setTimeout(() => this.kill(), startupTimeoutMs)
    let exitReported!: () => void
    this.#exitReported = new Promise((resolve) => (exitReported = resolve))
    this.ready = new Promise((resolve) => {
      this.process.onMessage((raw) => {
        if ((raw as { t?: unknown })?.t !== 'ready') return this.#receiveAll(raw)
        clearTimeout(startup)
        this.isReady = true
        resolve(true)
      })
      this.process.onExit((exit) => {
        this.#exit = exit
        exitReported()
        this.#silence.stop()
        this.isReady = false
        clearTimeout(startup)
        resolve(false)
        this.#children.noteKilled(this.#children.killAll())
        this.#removeTemp()
        const culprit = this.#killedFor ?? this.#turnHolder()
        const entries = this.#drainEntries()
        void this.#children.gone().then(() => {
          for (const [jobId, listener] of entries) listener.exit(exit, jobId === culprit)
        })
      })
    })
  }

  /** Resolves once the process has exited. */
  get whenExited(): Promise<void> {
    return this.#exitReported
  }

  /** Exited, or killed and on its way out: it takes no more jobs. */
  get exited(): boolean {
    return this.#exit !== null || this.#killing
  }

  /** Bytes written to stderr so far: a mark for `stderrOf`. */
  get stderrWritten(): number {
    return this.#stderr.written
  }

  /**
   * What the job wrote to stderr, and what no job wrote since `mark` (a past `stderrWritten`), as far as the
   * tail still holds it (see `StderrTail.since`).
   */
  stderrOf(jobId: string, mark: number): string {
    return this.#stderr.since(mark, jobId)
  }

  /** Jobs sent to this worker and not yet settled. */
  get load(): number {
    return this.#listeners.size
  }

  /** How long the job it runs now has been running, in milliseconds (0 while it runs none). */
  runningFor(now: number): number {
    return this.#running ? now - this.#running.since : 0
  }

  /**
   * Whether this job holds the worker's turn: the oldest one the worker holds that has not passed the turn on
   * by placing its outputs, the one it runs or would run next. When the worker dies, that job is the one it
   * died running, even if the word that it started never arrived.
   */
  isHead(jobId: string): boolean {
    return this.#turnHolder() === jobId
  }

  #turnHolder(): string | undefined {
    let oldest: string | undefined
    for (const jobId of this.#listeners.keys()) {
      if (!this.#placing.has(jobId)) return jobId
      oldest ??= jobId
    }
    // Only jobs placing their outputs: the oldest of them is what the worker is busy with.
    return oldest
  }

  listen(jobId: string, listener: WorkerListener): void {
    this.#listeners.set(jobId, listener)
  }

  unlisten(jobId: string): void {
    const wasHead = this.isHead(jobId)
    this.#placing.delete(jobId)
    this.#saidStarted.delete(jobId)
    if (this.#listeners.delete(jobId) && wasHead) this.settledMark = this.stderrWritten
    this.#outbox.settled(jobId)
  }

  /** Jobs to run are held back while the worker holds more than this many (see `WorkerOutbox`). */
  set lowWater(value: number) {
    this.#outbox.lowWater = value
  }

  /** Sends a message with the others of this turn (see `WorkerOutbox`). */
  send(message: MainMessage): void {
    if (!this.#exit) this.#outbox.push(message)
  }

  /**
   * Takes back a job's `run` message that has not left yet; answers whether it was there. The job then never
   * reaches the worker.
   */
  withdraw(jobId: string): boolean {
    return this.#outbox.withdraw(jobId)
  }

  /** Kills the worker and every child it reported, at once; `forJobId`: the job it is killed for, if any. */
  kill(forJobId?: string): void {
    const children = this.#children.killAll()
    if (!this.#exit) {
      this.#killedFor ??= forJobId
      this.#killing = true
      this.isReady = false
      const pid = this.process.pid
      if (pid) killTree(pid, 'SIGKILL')
      this.process.kill()
    }
    this.#children.noteKilled(children)
  }

  /** Whatever temp folders the worker's jobs had not cleaned up (it was killed, or crashed). */
  #removeTemp(): void {
    const pid = this.process.pid
    if (pid) rm(workerTempRoot(pid), { recursive: true, force: true }).catch(() => {})
  }

  /** A worker sends one message, or several batched together. */
  #receiveAll(raw: unknown): void {
    this.heardAt = performance.now()
    this.#silence.heard()
    for (const message of Array.isArray(raw) ? raw : [raw]) if (!this.#receive(message)) return
    this.#silence.watch()
  }

  /** Answers false when the worker was found broken and killed. */
  #receive(raw: unknown): boolean {
    const message = readWorkerMessage(raw)
    if (!message) {
      this.#break('The worker sent a malformed message')
      return false
    }
    if (!this.#answers(message) && !this.#rate.count()) {
      this.#break(`The worker sent more than ${this.#rate.limit} messages in one second`)
      return false
    }
    if (message.t === 'fatal') {
      // Its death is that job's; when the worker could not tell whose, no job's: each it held runs again.
      this.#killedFor ??= message.jobId ?? ''
      if (message.jobId === undefined) this.#onUntracedError()
    } else if (message.t === 'child') this.#children.add(message.pid)
    else if (message.t === 'child-exit') this.#children.delete(message.pid)
    else if (message.t === 'started' && this.#running?.jobId !== message.jobId)
      this.#running = { jobId: message.jobId, since: performance.now() }
    else if (message.t === 'placing' && this.isHead(message.jobId)) {
      // What the worker writes to stderr from now on is the next job's.
      this.#placing.add(message.jobId)
      this.settledMark = this.stderrWritten
    } else if (ends.has(message.t) && 'jobId' in message && this.#running?.jobId === message.jobId) this.#running = null
    if ('jobId' in message && message.jobId !== undefined) this.#listeners.get(message.jobId)?.message(message)
    return true
  }

  /**
   * The first start and the end of a job handed to this worker: one each per job the host sent, however
   * short the jobs, so never a flood. Anything else counts against the limit.
   */
  #answers(message: WorkerMessage): boolean {
    if (!('jobId' in message) || message.jobId === undefined || !this.#listeners.has(message.jobId)) return false
    if (message.t !== 'started') return ends.has(message.t)
    const first = !this.#saidStarted.has(message.jobId)
    this.#saidStarted.add(message.jobId)
    return first
  }

  #break(reason: string): void {
    const culprit = this.#turnHolder()
    const listeners = this.#drainEntries()
    this.kill()
    // The worker itself has not exited yet: it is waited for too, and so is the rest of its stderr (its
    // job's error carries it).
    const exited = new Promise((resolve) => setTimeout(resolve, brokenExitMs).unref())
    const gone = this.#children.gone(this.process.pid ? [this.process.pid] : [])
    void Promise.all([gone, Promise.race([this.#exitReported, exited])]).then(() => {
      for (const [jobId, listener] of listeners) listener.broken(reason, jobId === culprit)
    })
  }

  #drainEntries(): [string, WorkerListener][] {
    const entries = [...this.#listeners.entries()]
    this.#listeners.clear()
    return entries
  }
}
