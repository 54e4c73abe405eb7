import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { killTree } from '../process-tree'

/** How long a child gets between TERM and KILL when its job is cancelled. */
const termGraceMs = 2000

/**
 * The child processes a job started through `ctx.spawn`. Each leads its own process group, so stopping it
 * stops whatever it started too. The main process is told every pid, so it can kill them if this worker dies.
 */
export class TrackedChildren {
  readonly #children = new Set<ChildProcess>()
  readonly #report: (event: 'child' | 'child-exit', pid: number) => void

  constructor(report: (event: 'child' | 'child-exit', pid: number) => void) {
    this.#report = report
  }

  spawn(command: string, args: readonly string[], options: SpawnOptions, signal: AbortSignal): ChildProcess {
    signal.throwIfAborted()
    const child = spawn(command, args, { ...options, detached: process.platform !== 'win32', windowsHide: true })
    const pid = child.pid
    if (pid === undefined) return child
    this.#children.add(child)
    this.#report('child', pid)
    const stop = () => this.#stop(child)
    signal.addEventListener('abort', stop, { once: true })
    child.once('exit', () => {
      signal.removeEventListener('abort', stop)
      this.#children.delete(child)
      this.#report('child-exit', pid)
    })
    return child
  }

  /** Kills every child still running, at once. */
  killAll(): void {
    for (const child of this.#children) if (child.pid) killTree(child.pid, 'SIGKILL')
  }

  #stop(child: ChildProcess): void {
    if (!child.pid || child.exitCode !== null || child.signalCode !== null) return
    killTree(child.pid, 'SIGTERM')
    const timer = setTimeout(() => child.pid && killTree(child.pid, 'SIGKILL'), termGraceMs)
    timer.unref()
    child.once('exit', () => clearTimeout(timer))
  }
}
