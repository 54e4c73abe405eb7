import { readdirSync, readFileSync } from 'node:fs'
import { isAlive } from '../../src/main/jobs/process-tree'

/** The child pids a `debug.fail` job logged ("child pid N"). */
export function loggedChildPids(log: readonly string[] | undefined): number[] {
  return (log ?? []).flatMap((line) => {
    const match = /^child pid (\d+)$/.exec(line)
    return match ? [Number(match[1])] : []
  })
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses; the fields after its closing one are fixed.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
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

export { isAlive }
