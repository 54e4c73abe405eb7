import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { descendantsOnce, treeExited } from './processes'

const script = fileURLToPath(new URL('./host-process.ts', import.meta.url))

export interface HostLine {
  ready?: number
  event?: string
  id?: string
}

/**
 * Starts a Spool host in its own process, its jobs allowed under `roots`; `lines` yields what it reports.
 * `cancelStarted`: the host asks each job to cancel as it starts, and waits 120 s for it to stop.
 */
export function startHost(
  dataDir: string,
  specs?: unknown[],
  roots?: string[],
  options: { cancelStarted?: boolean } = {},
): { child: ChildProcess; next(match: (line: HostLine) => boolean): Promise<HostLine> } {
  const args = [
    '--import',
    'tsx',
    script,
    dataDir,
    JSON.stringify(specs ?? null),
    ...(roots ? [JSON.stringify(roots)] : []),
  ]
  const env = { ...process.env, SPOOL_TEST_CANCEL_STARTED: options.cancelStarted ? '1' : '0' }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env })
  const seen: HostLine[] = []
  const waiting: { match: (line: HostLine) => boolean; resolve: (line: HostLine) => void }[] = []
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as HostLine
    seen.push(line)
    for (const waiter of [...waiting]) {
      if (waiter.match(line)) {
        waiting.splice(waiting.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  return {
    child,
    next: (match) =>
      new Promise((resolve, reject) => {
        const earlier = seen.find(match)
        if (earlier) return resolve(earlier)
        waiting.push({ match, resolve })
        child.once('exit', () => reject(new Error('the host exited')))
      }),
  }
}

/**
 * Kills the host alone (SIGKILL, as a crash does) once `count` processes run below it, and waits until every one
 * of them has noticed and exited.
 */
export async function killHostAlone(child: ChildProcess, pid: number, count: number): Promise<void> {
  const tree = await descendantsOnce(pid, count)
  child.kill('SIGKILL')
  await treeExited(tree)
}
