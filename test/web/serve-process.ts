import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
const cli = join(projectRoot, 'src/main/web/cli.ts')

export interface ServeProcess {
  url: string
  origin: string
  token: string
  port: number
  /** A folder under the host's root, for files jobs may use. */
  root: string
  /** The temp folder holding the host's data and root folders. */
  folder: string
  child: ChildProcess
  /** What the host wrote to stderr so far. */
  stderr(): string
  /** Stops the host (SIGTERM, or the signal given: SIGINT is Ctrl-C) and answers its exit code; removes the temp
   * folder unless the caller gave it. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/**
 * Runs `npm run serve`'s CLI as its own process, with the diagnostic kinds, on a fresh temp data dir; `env`
 * adds to its environment (`SPOOL_DASHBOARD_DIR` to skip building the dashboard). Given `folder` (the `folder` of a host
 * stopped before), the host starts again on its data and root folders, and they are kept when it stops.
 */
export async function startServe(
  extraArgs: string[] = [],
  env: Record<string, string> = {},
  folder?: string,
): Promise<ServeProcess> {
  const base = folder ?? mkdtempSync(join(tmpdir(), 'spool-web-'))
  const root = join(base, 'root')
  mkdirSync(root, { recursive: true })
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--data-dir', join(base, 'data'), '--root', root, '--port', '0', ...extraArgs],
    { cwd: projectRoot, env: { ...process.env, SPOOL_DIAGNOSTICS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const line = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes('\n')) resolve(stdout.trim())
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
  })
  const match = /^Spool listening on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([\w-]+)$/.exec(line)
  if (!match) throw new Error(`unexpected first line: ${line}`)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    url: line.slice('Spool listening on '.length),
    origin: match[1]!,
    port: Number(match[2]),
    token: match[3]!,
    root,
    folder: base,
    child,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      child.kill(signal)
      const code = await exited
      if (!folder) rmSync(base, { recursive: true, force: true })
      return code
    },
  }
}
