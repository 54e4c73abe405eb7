import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./host-process.ts', import.meta.url))

export interface HostLine {
  ready?: number
  event?: string
  id?: string
}

/** Starts a Spool host in its own process, its jobs allowed under `roots`; `lines` yields what it reports. */
export function startHost(
  dataDir: string,
  specs?: unknown[],
  roots?: string[],
): { child: ChildProcess; next(match: (line: HostLine) => boolean): Promise<HostLine> } {
  const args = [
    '--import',
    'tsx',
    script,
    dataDir,
    JSON.stringify(specs ?? null),
    ...(roots ? [JSON.stringify(roots)] : []),
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
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
