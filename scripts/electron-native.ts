import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * better-sqlite3 under two ABIs. node_modules keeps the addon built for Node (tests, the web host); the
 * Electron app loads a second build of the same version made here, in a copy of the package under
 * `dist/native/stage`, and copied to `dist/native/better_sqlite3.node`. Nothing in node_modules is touched,
 * so `npm start` and `npm run dist` never break `npm test`. Packaging ships that file as a resource.
 */

export interface NativeBuildOptions {
  /** The repository root. */
  root: string
  electronVersion: string
  arch?: string
  /** Compiles the staged copy; @electron/rebuild by default. */
  rebuild?: (options: { buildPath: string; electronVersion: string; arch: string }) => Promise<void>
  log?: (line: string) => void
}

interface Stamp {
  electronVersion: string
  sqliteVersion: string
  platform: string
  arch: string
}

async function electronRebuild(options: { buildPath: string; electronVersion: string; arch: string }) {
  const { rebuild } = await import('@electron/rebuild')
  await rebuild({ ...options, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' })
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    return null
  }
}

/** Builds the Electron-ABI addon unless the one in place already matches; answers its path. */
export async function buildElectronSqlite(options: NativeBuildOptions): Promise<string> {
  const arch = options.arch ?? process.arch
  const log = options.log ?? (() => {})
  const source = join(options.root, 'node_modules/better-sqlite3')
  const outDir = join(options.root, 'dist/native')
  const addon = join(outDir, 'better_sqlite3.node')
  const stampFile = join(outDir, 'better_sqlite3.json')
  const sqliteVersion = readJson<{ version: string }>(join(source, 'package.json'))?.version
  if (!sqliteVersion) throw new Error('better-sqlite3 is not installed; run npm install first')
  const wanted: Stamp = { electronVersion: options.electronVersion, sqliteVersion, platform: process.platform, arch }
  if (existsSync(addon) && JSON.stringify(readJson<Stamp>(stampFile)) === JSON.stringify(wanted)) return addon

  log(`Building better-sqlite3 ${sqliteVersion} for Electron ${options.electronVersion} (${arch})`)
  const stage = join(outDir, 'stage')
  const staged = join(stage, 'node_modules/better-sqlite3')
  rmSync(stage, { recursive: true, force: true })
  mkdirSync(dirname(staged), { recursive: true })
  writeFileSync(
    join(stage, 'package.json'),
    JSON.stringify({ name: 'spool-native-stage', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }),
  )
  // The Node build output stays behind: the copy compiles from source (or fetches Electron's prebuild).
  cpSync(source, staged, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) })
  await (options.rebuild ?? electronRebuild)({ buildPath: stage, electronVersion: options.electronVersion, arch })
  const built = join(staged, 'build/Release/better_sqlite3.node')
  if (!existsSync(built)) throw new Error(`The Electron build of better-sqlite3 did not produce ${built}`)
  cpSync(built, addon)
  writeFileSync(stampFile, JSON.stringify(wanted))
  return addon
}

export function installedElectronVersion(root: string): string {
  const pkg = readJson<{ version: string }>(join(root, 'node_modules/electron/package.json'))
  if (!pkg) throw new Error('electron is not installed; run npm install first')
  return pkg.version
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const arch = process.argv.find((arg) => arg.startsWith('--arch='))?.slice('--arch='.length)
  const addon = await buildElectronSqlite({
    root,
    electronVersion: installedElectronVersion(root),
    ...(arch && { arch }),
    log: (line) => console.log(line),
  })
  console.log(`Electron addon: ${addon}`)
}
