import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultDashboardDir } from './web-host'

const sources = fileURLToPath(new URL('../../renderer', import.meta.url))
const projectRoot = fileURLToPath(new URL('../../..', import.meta.url))

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** Builds the dashboard when it was never built or its sources changed since (a checkout, not a package). */
export async function ensureDashboardBuilt(): Promise<void> {
  if (!existsSync(sources)) return
  const index = join(defaultDashboardDir, 'index.html')
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(sources)) return
  process.stderr.write('spool serve: building the dashboard…\n')
  const result = spawnSync(
    process.execPath,
    [join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  if (result.status !== 0) throw new Error('building the dashboard failed (see the error above)')
}
