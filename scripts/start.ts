import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// `npm start`: the desktop app where an Electron binary is installed, else the headless web host.

const root = fileURLToPath(new URL('..', import.meta.url))

/** The Electron executable, or null when the package is installed without its binary (CI, servers). */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

/** Where the web host keeps its jobs by default: the platform's per-user application data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = homedir()
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Spool')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Spool')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'Spool')
}

/** `npm run serve` arguments: the user's own, plus defaults for the options they did not give. */
export function serveArgs(userArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const given = (flag: string) => userArgs.some((arg) => arg === flag || arg.startsWith(`${flag}=`))
  return [
    ...(given('--data-dir') ? [] : ['--data-dir', defaultDataDir(env)]),
    ...(given('--root') ? [] : ['--root', homedir()]),
    ...userArgs,
  ]
}

function webHostAvailable(): boolean {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  return Boolean(pkg.scripts?.serve) && existsSync(join(root, 'src/main/web/cli.ts'))
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** Runs a child with the terminal, passes Ctrl-C on, and resolves with its exit code. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child: ChildProcess = spawn(command, args, { cwd: root, stdio: 'inherit', env })
  const forward = (signal: NodeJS.Signals) => child.kill(signal)
  process.on('SIGINT', forward).on('SIGTERM', forward)
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

async function startDesktop(electron: string, userArgs: string[]): Promise<number> {
  const built = await run(npm, ['run', '--silent', 'build:electron'])
  if (built !== 0) return built
  const env = { ...process.env }
  // Set by some tools to make Electron behave as plain Node; the app must start as an app.
  delete env.ELECTRON_RUN_AS_NODE
  return run(electron, ['.', ...userArgs], env)
}

async function startWebHost(userArgs: string[]): Promise<number> {
  if (!webHostAvailable()) {
    console.error('The headless web host (npm run serve) is not part of this checkout yet; nothing to start.')
    return 1
  }
  // What `npm run serve` runs, started directly: a stop signal reaches the host itself. Through npm, the shell
  // npm runs the script in took it and the host went on serving (and holding the queue) without its parent.
  const cli = join(root, 'src/main/web/cli.ts')
  return run(process.execPath, ['--import', 'tsx', cli, ...serveArgs(userArgs)])
}

export async function start(userArgs: string[]): Promise<number> {
  const electron = electronBinary()
  if (electron) return startDesktop(electron, userArgs)
  console.log('Electron binary not installed: starting the headless web host instead (npm run serve).')
  return startWebHost(userArgs)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await start(process.argv.slice(2))
}
