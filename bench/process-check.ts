import { readdirSync, readFileSync } from 'node:fs'

/** State and parent of a process from /proc (Linux), or null once it is gone. */
function stat(pid: number): { state: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: the fields that follow start after its last ')'.
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: state ?? '', ppid: Number(ppid) }
  } catch {
    return null
  }
}

/** Whether the process still runs; a zombie (dead, not yet reaped by its parent) counts as gone. */
export function isRunning(pid: number): boolean {
  if (process.platform !== 'linux') {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  const found = stat(pid)
  return found !== null && found.state !== 'Z' && found.state !== 'X'
}

/** Every process descended from `pid`, found by walking /proc (Linux; empty elsewhere). */
export function descendants(pid: number): number[] {
  if (process.platform !== 'linux') return []
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    const child = Number(name)
    if (!Number.isInteger(child)) continue
    const found = stat(child)
    if (found) children.set(found.ppid, [...(children.get(found.ppid) ?? []), child])
  }
  const found: number[] = []
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      found.push(child)
      walk(child)
    }
  }
  walk(pid)
  return found
}
