import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { buildElectronSqlite } from '../../scripts/electron-native'
import { defaultDataDir, electronBinary, serveArgs } from '../../scripts/start'

describe('npm start', () => {
  it('reports an Electron binary only when one is really installed', () => {
    // Where the package is installed for its types only (ELECTRON_SKIP_BINARY_DOWNLOAD) there is no dist.
    const binary = electronBinary()
    const hasDist = existsSync(join(import.meta.dirname, '../../node_modules/electron/dist'))
    expect(binary !== null).toBe(hasDist)
    if (binary) expect(existsSync(binary)).toBe(true)
  })

  it("keeps the web host's jobs in the platform's per-user data folder", () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/Spool')
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.local/share/Spool'))
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library/Application Support/Spool'))
    expect(defaultDataDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')).toBe(
      join('C:\\Users\\u\\AppData\\Local', 'Spool'),
    )
  })

  it("passes the user's own options on and fills in only the missing ones", () => {
    expect(serveArgs([], { XDG_DATA_HOME: '/xdg' })).toEqual(['--data-dir', '/xdg/Spool', '--root', homedir()])
    expect(serveArgs(['--root', '/media', '--port=9000', '--open'], { XDG_DATA_HOME: '/xdg' })).toEqual([
      '--data-dir',
      '/xdg/Spool',
      '--root',
      '/media',
      '--port=9000',
      '--open',
    ])
  })
})

describe('the Electron build of better-sqlite3', () => {
  const repo = join(import.meta.dirname, '../..')
  const root = mkdtempSync(join(tmpdir(), 'spool-native-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  // A project whose node_modules holds a better-sqlite3 with its Node build in place.
  const source = join(root, 'node_modules/better-sqlite3')
  mkdirSync(join(source, 'build/Release'), { recursive: true })
  mkdirSync(join(source, 'src'), { recursive: true })
  writeFileSync(join(source, 'package.json'), readFileSync(join(repo, 'node_modules/better-sqlite3/package.json')))
  writeFileSync(join(source, 'src/better_sqlite3.cpp'), '// source')
  writeFileSync(join(source, 'build/Release/better_sqlite3.node'), 'node abi')
  const hash = () =>
    createHash('sha256')
      .update(readFileSync(join(source, 'build/Release/better_sqlite3.node')))
      .digest('hex')

  it('is compiled in a copy, never in node_modules, and lands in dist/native', async () => {
    const before = hash()
    const rebuild = vi.fn(async ({ buildPath }: { buildPath: string }) => {
      const staged = join(buildPath, 'node_modules/better-sqlite3')
      expect(existsSync(join(staged, 'src/better_sqlite3.cpp'))).toBe(true)
      expect(existsSync(join(staged, 'build'))).toBe(false)
      mkdirSync(join(staged, 'build/Release'), { recursive: true })
      writeFileSync(join(staged, 'build/Release/better_sqlite3.node'), 'electron abi')
    })
    const addon = await buildElectronSqlite({ root, electronVersion: '38.8.6', arch: 'x64', rebuild })
    expect(addon).toBe(join(root, 'dist/native/better_sqlite3.node'))
    expect(readFileSync(addon, 'utf8')).toBe('electron abi')
    expect(rebuild).toHaveBeenCalledWith({
      buildPath: join(root, 'dist/native/stage'),
      electronVersion: '38.8.6',
      arch: 'x64',
    })
    expect(hash()).toBe(before)
  })

  it('is not rebuilt while Electron, better-sqlite3 and the platform stay the same', async () => {
    const rebuild = vi.fn(async () => {})
    await buildElectronSqlite({ root, electronVersion: '38.8.6', arch: 'x64', rebuild })
    expect(rebuild).not.toHaveBeenCalled()
    await expect(buildElectronSqlite({ root, electronVersion: '39.0.0', arch: 'x64', rebuild })).rejects.toThrow(
      /did not produce/,
    )
    expect(rebuild).toHaveBeenCalledTimes(1)
  })
})
