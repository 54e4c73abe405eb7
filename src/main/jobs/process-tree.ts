import { spawnSync } from 'node:child_process'

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
