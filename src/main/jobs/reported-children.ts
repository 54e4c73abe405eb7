import { groupMembers, killTree, whenGone } from './process-tree'

/** How long a job's end waits at most for the processes killed with its worker to be gone. */
const treeGoneMs = 500

/**
 * The child processes a worker reported for its jobs, and every process killed with them: a job is never
 * reported ended (cancelled, timed out, crashed) while a process of its tree still runs.
 */
export class ReportedChildren {
  readonly #running = new Set<number>()
  readonly #killed = new Set<number>()

  add(pid: number): void {
    this.#running.add(pid)
  }

  delete(pid: number): void {
    this.#running.delete(pid)
  }

  /** Kills every child reported, each with its process group; answers their pids, for `noteKilled`. */
  killAll(): number[] {
    const children = [...this.#running]
    for (const pid of children) killTree(pid, 'SIGKILL')
    this.#running.clear()
    return children
  }

  /** Each child leads its own process group: what it started dies with it, and is waited for too. */
  noteKilled(children: number[]): void {
    for (const pid of children) for (const member of [pid, ...groupMembers(pid)]) this.#killed.add(member)
  }

  /**
   * Resolves once every process killed (and `more`) no longer runs. Bounded: a process stuck in the kernel
   * must not hold the job's end for ever.
   */
  async gone(more: number[] = []): Promise<void> {
    const running = await whenGone([...this.#killed, ...more], treeGoneMs)
    if (running.length > 0)
      console.error(`Spool: processes ${running.join(', ')} still ran ${treeGoneMs} ms after they were killed`)
  }
}
