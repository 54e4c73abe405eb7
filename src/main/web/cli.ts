// `npm run serve -- --data-dir DIR --port N --root DIR [--root DIR…] [--open]`: Spool without a display.
import { spawn } from 'node:child_process'
import { statSync, type Stats } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openSpool } from '../jobs'
import { ensureDashboardBuilt } from './dashboard-build'
import { keepHostAddress, keptHostAddress } from './host-address'
import { startWebHost } from './web-host'

function fail(message: string): never {
  process.stderr.write(`spool serve: ${message}\n`)
  process.exit(2)
}

/** The folder a path option names, made absolute; the data folder may be missing (Spool makes it). */
function folderOption(flag: string, value: string, mayBeMissing = false): string {
  const path = resolve(value)
  let info: Stats
  try {
    info = statSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (mayBeMissing && code === 'ENOENT') return path
    fail(code === 'ENOENT' ? `${flag} ${value}: no such folder` : `${flag} ${value}: ${(error as Error).message}`)
  }
  if (!info.isDirectory()) fail(`${flag} ${value} is a file, not a folder`)
  return path
}

function options() {
  try {
    const { values } = parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string', default: '0' },
        root: { type: 'string', multiple: true },
        open: { type: 'boolean', default: false },
      },
      strict: true,
    })
    const port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, not ${values.port}`)
    if (!values['data-dir']) fail('--data-dir DIR is required (where Spool keeps its queue)')
    if (!values.root?.length) fail('give at least one --root DIR: the folders jobs may read and write')
    return {
      dataDir: folderOption('--data-dir', values['data-dir'], true),
      port,
      roots: values.root.map((root) => folderOption('--root', root)),
      open: values.open,
    }
  } catch (error) {
    fail((error as Error).message)
  }
}

const { dataDir, port, roots, open } = options()
// A packaged or prebuilt dashboard elsewhere is served as it is; a checkout's is built when stale.
const dashboardDir = process.env.SPOOL_DASHBOARD_DIR
if (!dashboardDir) {
  await ensureDashboardBuilt().catch((error: Error) =>
    process.stderr.write(`spool serve: ${error.message}; the page will say so, the command socket still works\n`),
  )
}
let spool: Awaited<ReturnType<typeof openSpool>>
try {
  spool = await openSpool({ dataDir, roots })
} catch (error) {
  fail((error as Error).message)
}
if (spool.startupNotice) process.stderr.write(`spool serve: ${spool.startupNotice}\n`)
// The address of the last start, so a page left open reconnects after a restart; its port only when none was
// asked for and it is still free.
const kept = keptHostAddress(dataDir)
const hostOptions = { spool, roots, ...(kept && { token: kept.token }), ...(dashboardDir && { dashboardDir }) }
const host = await startWebHost({ ...hostOptions, port: port || kept?.port || 0 })
  .catch((error: NodeJS.ErrnoException) => {
    if (port || !kept || error.code !== 'EADDRINUSE') throw error
    return startWebHost({ ...hostOptions, port: 0 })
  })
  .catch((error: Error) => fail(error.message))
try {
  keepHostAddress(dataDir, { port: host.port, token: host.token })
} catch (error) {
  process.stderr.write(`spool serve: the address will change at the next start: ${(error as Error).message}\n`)
}
// Before the address is printed: a stop signal right after it must still close the queue cleanly.
let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  const running = await spool!.snapshot().then(
    (snapshot) => snapshot.active.filter((job) => job.state === 'running'),
    () => [],
  )
  const resumed = running.filter((job) => !job.stopping).length
  const cancelled = running.length - resumed
  const parts = [
    resumed === 1 && '1 running job goes back to the queue and starts again at the next start',
    resumed > 1 && `${resumed} running jobs go back to the queue and start again at the next start`,
    cancelled === 1 && '1 job asked to cancel ends cancelled',
    cancelled > 1 && `${cancelled} jobs asked to cancel end cancelled`,
  ].filter(Boolean)
  if (parts.length > 0) process.stderr.write(`spool serve: stopping; ${parts.join('; ')}\n`)
  // Stop taking requests, then let the engine hand running jobs back to the queue and close the database.
  await host.close()
  await spool!.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())

process.stdout.write(`Spool listening on ${host.url}\n`)
if (open) {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  spawn(opener, [host.url], { stdio: 'ignore', detached: true })
    .on('error', () => {})
    .unref()
}
