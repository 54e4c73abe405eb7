import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { LaunchOptions, WorkerExit, WorkerLauncher, WorkerProcess } from './launcher'

/**
 * The worker entry next to this module: the built `.js` in a bundle, else the `.ts` source run through tsx
 * (development, tests and the web host started from a checkout).
 */
export function defaultWorkerEntry(): { entry: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./worker/entry.js', import.meta.url))
  if (existsSync(built)) return { entry: built, execArgv: [] }
  return { entry: fileURLToPath(new URL('./worker/entry.ts', import.meta.url)), execArgv: ['--import', 'tsx'] }
}

/** How long an exit waits for the rest of the worker's stderr (a child it left may hold the pipe open). */
const stderrGraceMs = 200

/** Starts workers with Node's `child_process.fork`: the headless host's launcher. */
export class NodeWorkerLauncher implements WorkerLauncher {
  readonly #entry: string
  readonly #execArgv: string[]

  constructor(options: { entry?: string; execArgv?: string[] } = {}) {
    const fallback = defaultWorkerEntry()
    this.#entry = options.entry ?? fallback.entry
    this.#execArgv = options.execArgv ?? (options.entry ? [] : fallback.execArgv)
  }

  launch(options: LaunchOptions): WorkerProcess {
    const execArgv = [...this.#execArgv]
    if (options.maxHeapMb) execArgv.push(`--max-old-space-size=${options.maxHeapMb}`)
    const child = fork(this.#entry, [], {
      execArgv,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    })
    let exited = false
    const exitListeners: ((exit: WorkerExit) => void)[] = []
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exited) return
      exited = true
      // What it wrote last (often why it died) may still be on its way: wait briefly for stderr to end.
      const stderr = child.stderr
      const report = () => {
        for (const listener of exitListeners) listener({ code, signal })
      }
      if (!stderr || stderr.readableEnded || stderr.destroyed) return report()
      const timer = setTimeout(done, stderrGraceMs)
      function done(): void {
        clearTimeout(timer)
        stderr?.off('end', done)
        report()
      }
      stderr.once('end', done)
    }
    child.on('exit', onExit)
    child.on('error', () => onExit(null, null))
    return {
      get pid() {
        return child.pid
      },
      send(message) {
        if (child.connected) child.send(message as object, (error) => error && child.kill('SIGKILL'))
      },
      onMessage(listener) {
        child.on('message', listener)
      },
      onExit(listener) {
        exitListeners.push(listener)
      },
      onOutput(listener) {
        child.stdout?.on('data', (chunk: Buffer) => listener('stdout', chunk))
        child.stderr?.on('data', (chunk: Buffer) => listener('stderr', chunk))
      },
      kill() {
        child.kill('SIGKILL')
      },
    }
  }
}
