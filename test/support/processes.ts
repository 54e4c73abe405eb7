import { afterEach } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { isAlive } from '../../src/main/jobs/process-tree'
import { eventually } from './test-spool'

/** The child pids a `debug.fail` job logged ("child pid N"). */
export function loggedChildPids(log: readonly string[] | undefined): number[] {
  return (log ?? []).flatMap((line) => {
    const match = /^child pid (\d+)$/.exec(line)
    return match ? [Number(match[1])] : []
  })
}

/** The fields of /proc/PID/stat after the command name (Linux), or undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses; the fields after its closing one are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

export function parentOf(pid: number): number | undefined {
  const fields = statFields(pid)
  return fields ? Number(fields[1]) : undefined
}

/** Whether a process still runs (Linux): a zombie, dead but not yet collected by its parent, does not. */
export function isRunning(pid: number): boolean {
  const state = statFields(pid)?.[0]
  return state !== undefined && state !== 'Z' && state !== 'X'
}

/**
 * Resolves once every process of a SIGKILLed host's tree has exited. Its workers run below normal priority: on a
 * machine busy with other work (a CI run's other tests) they may wait many seconds for the CPU before they
 * notice their host is gone. A test that waits here needs a timeout of its own above a minute.
 */
export function treeExited(pids: readonly number[]): Promise<unknown> {
  return eventually(() => pids.every((pid) => !isRunning(pid)), 60_000)
}

/** Every live process below `root` (Linux, from /proc). */
export function descendants(root: number): number[] {
  const parents = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid)) continue
    const parent = parentOf(pid)
    if (parent !== undefined) parents.set(pid, parent)
  }
  const found: number[] = []
  const visit = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child)
        visit(child)
      }
    }
  }
  visit(root)
  return found
}

/**
 * Resolves with every process below a host's `root` once there are at least `count`. Its workers boot below
 * normal priority: on a busy machine they may take many seconds to start, as they take to exit (treeExited).
 */
export function descendantsOnce(root: number, count: number): Promise<number[]> {
  return eventually(() => {
    const found = descendants(root)
    return found.length >= count && found
  }, 60_000)
}

export { isAlive }

/** Pids to SIGKILL after each test of the block if they still run: what a test that kills hosts left behind. */
export function useLeftoverProcesses(): number[] {
  const pids: number[] = []
  afterEach(() => {
    for (const pid of pids.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL')
  })
  return pids
}
