import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** How often a killed process is looked at again until it is gone. */
const pollMs = 2

/**
 * Kills a process and everything it started. Children Spool tracks are started as leaders of their own
 * process group, so signalling the group reaches their descendants (an ffmpeg a shell script started).
 */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true })
    return
  }
  try {
    process.kill(-pid, signal)
  } catch {
    // Not a group leader (or already gone): signal the process itself.
  }
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** State and process group of a process from /proc (Linux), or null once it is gone. */
function procStat(pid: number): { state: string; group: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: the fields after its last ')' are fixed.
    const [state, , group] = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { state: state ?? '', group: Number(group) }
  } catch {
    return null
  }
}

/**
 * Whether a process still runs. On Linux a zombie (dead, its parent has not collected it yet) counts as gone:
 * a child whose worker was killed is collected by whichever process adopts it, not by Spool.
 */
export function isRunning(pid: number): boolean {
  if (process.platform !== 'linux') return isAlive(pid)
  const found = procStat(pid)
  return found !== null && found.state !== 'Z' && found.state !== 'X'
}

/**
 * The processes of a process group that still run (Linux, from /proc; elsewhere the leader alone). Read after
 * the group was killed, it is the whole list: a process being killed cannot start another.
 */
export function groupMembers(group: number): number[] {
  if (process.platform !== 'linux') return [group]
  const members: number[] = []
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (Number.isInteger(pid) && procStat(pid)?.group === group && isRunning(pid)) members.push(pid)
  }
  return members
}

/** Resolves once none of `pids` runs any more, or after `timeoutMs`, answering those that still run then. */
export async function whenGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = performance.now() + timeoutMs
  let running = pids.filter(isRunning)
  while (running.length > 0 && performance.now() < deadline) {
    await sleep(pollMs)
    running = running.filter(isRunning)
  }
  return running
}
