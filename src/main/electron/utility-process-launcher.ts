import type { ForkOptions, UtilityProcess } from 'electron'
import type { LaunchOptions, WorkerExit, WorkerLauncher, WorkerProcess } from '../jobs/launcher'

/** Electron's `utilityProcess.fork`, passed in so the launcher runs under a fake in tests. */
export type ForkUtility = (modulePath: string, args: string[], options: ForkOptions) => UtilityProcess

/**
 * Starts workers as Electron utility processes: Chromium-managed Node processes that need no Node binary
 * beside the app and show up in the task manager under their name.
 */
export class UtilityProcessLauncher implements WorkerLauncher {
  readonly #fork: ForkUtility
  readonly #entry: string

  constructor(fork: ForkUtility, entry: string) {
    this.#fork = fork
    this.#entry = entry
  }

  launch(options: LaunchOptions): WorkerProcess {
    const execArgv = options.maxHeapMb ? [`--max-old-space-size=${options.maxHeapMb}`] : []
    const child = this.#fork(this.#entry, [], {
      env: { ...process.env, ...options.env },
      execArgv,
      stdio: ['ignore', 'pipe', 'pipe'],
      serviceName: options.name ?? 'Spool worker',
    })
    const exitListeners: ((exit: WorkerExit) => void)[] = []
    const outputListeners: ((stream: 'stdout' | 'stderr', chunk: Buffer) => void)[] = []
    let exited = false
    // Electron can emit `exit` twice, and reports a crash by exit code only; the engine sees one exit.
    child.on('exit', (code) => {
      if (exited) return
      exited = true
      for (const listener of exitListeners) listener({ code: code ?? null, signal: null })
    })
    // A V8 fatal error (heap limit, OOM) arrives here rather than on stderr; fold it into the stderr tail
    // so the engine can tell `OUT_OF_MEMORY` from a plain crash.
    child.on('error', (type, location, report) => {
      const line = `${type}: ${location}${report ? `\n${report.slice(0, 2000)}` : ''}\n`
      for (const listener of outputListeners) listener('stderr', Buffer.from(line))
    })
    const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
      stream?.on('data', (chunk: Buffer | string) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        for (const listener of outputListeners) listener(name, bytes)
      })
    }
    pipe(child.stdout, 'stdout')
    pipe(child.stderr, 'stderr')
    return {
      get pid() {
        return child.pid
      },
      send(message) {
        if (!exited) child.postMessage(message)
      },
      onMessage(listener) {
        child.on('message', listener)
      },
      onExit(listener) {
        exitListeners.push(listener)
      },
      onOutput(listener) {
        outputListeners.push(listener)
      },
      kill() {
        if (!exited) child.kill()
      },
    }
  }
}
