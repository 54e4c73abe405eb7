/** How a worker process ended. Electron reports only a code; Node may report a signal instead. */
export interface WorkerExit {
  code: number | null
  signal: string | null
}

/** One running worker process, whichever host started it. */
export interface WorkerProcess {
  readonly pid: number | undefined
  send(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /** Called once, however many times the host reports the exit. */
  onExit(listener: (exit: WorkerExit) => void): void
  /**
   * Output the worker wrote to stdout or stderr, as the bytes came: a worker may write hundreds of megabytes,
   * of which only the end of stderr is kept, and decoding all of it as text held up the main process.
   */
  onOutput(listener: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): void
  kill(): void
}

export interface LaunchOptions {
  /** Extra environment for the worker, on top of the host's. */
  env?: Record<string, string>
  /** V8 heap limit for the worker, so a runaway job dies alone with `OUT_OF_MEMORY`. */
  maxHeapMb?: number
  /** A name for the process in task managers. */
  name?: string
}

/** One implementation per host: Node's `child_process.fork` headless, Electron's `utilityProcess` in the app. */
export interface WorkerLauncher {
  launch(options: LaunchOptions): WorkerProcess
}
