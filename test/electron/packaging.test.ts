import { listPackage, statFile } from '@electron/asar'
import { Platform, build as pack } from 'electron-builder'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildElectronBundles } from './built-bundles'
import { NodeWorkerLauncher, openSpool } from '../../src/main/jobs'

const repo = join(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'spool-pack-'))
const project = join(work, 'project')
const output = join(work, 'release')
const resources = join(output, 'linux-unpacked', 'resources')
const archive = join(resources, 'app.asar')

/**
 * A project folder beside the repository: the real package.json, node_modules and packaging config, the
 * real Electron bundles, and stand-ins for what cannot be made here (the renderer is another issue's; the
 * Electron-ABI addon and the Electron binary need downloads).
 */
async function stageProject(): Promise<void> {
  mkdirSync(project, { recursive: true })
  cpSync(join(repo, 'package.json'), join(project, 'package.json'))
  cpSync(join(repo, 'electron-builder.yml'), join(project, 'electron-builder.yml'))
  symlinkSync(join(repo, 'node_modules'), join(project, 'node_modules'), 'dir')
  await buildElectronBundles(project)
  mkdirSync(join(project, 'dist/renderer'), { recursive: true })
  writeFileSync(join(project, 'dist/renderer/index.html'), '<!doctype html><title>Spool</title>')
  mkdirSync(join(project, 'dist/native'), { recursive: true })
  writeFileSync(join(project, 'dist/native/better_sqlite3.node'), 'stand-in for the Electron-ABI addon')
  const electronDist = join(work, 'electron-dist')
  mkdirSync(join(electronDist, 'resources'), { recursive: true })
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in Electron"\n')
  chmodSync(join(electronDist, 'electron'), 0o755)
  await pack({
    projectDir: project,
    targets: Platform.LINUX.createTarget('dir'),
    config: {
      extends: './electron-builder.yml',
      electronDist,
      electronVersion: '38.0.0',
      directories: { output },
    },
  })
}

describe('packaged app layout (electron-builder --dir against a stand-in Electron)', () => {
  beforeAll(stageProject, 240_000)
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('the preload bundle is self-contained: the sandbox lets it require only electron', () => {
    const required: string[] = []
    const exposed = new Map<string, Record<string, unknown>>()
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on: () => {}, removeListener: () => {} },
      webUtils: { getPathForFile: () => '' },
    }
    const code = readFileSync(join(project, 'dist/preload/index.cjs'), 'utf8')
    const module = { exports: {} }
    const sandboxRequire = (name: string) => {
      required.push(name)
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`)
      return electron
    }
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console })
    expect(required).toEqual(['electron'])
    expect(Object.keys(exposed.get('spool')!)).toContain('submit')
  })

  it('the worker bundle runs jobs', async () => {
    const spool = await openSpool({
      dataDir: join(work, 'data'),
      diagnostics: true,
      launcher: new NodeWorkerLauncher({ entry: join(project, 'dist/worker/entry.cjs') }),
    })
    try {
      const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 50, steps: 2 } }])
      expect((await spool.wait(id!)).state).toBe('succeeded')
    } finally {
      await spool.close()
    }
  })

  it('has the executable named spool beside its resources', () => {
    expect(existsSync(join(output, 'linux-unpacked', 'spool'))).toBe(true)
  })

  it('puts the main, preload, worker and renderer bundles inside app.asar, without source maps', () => {
    const files = listPackage(archive, { isPack: false })
    for (const file of ['/package.json', '/dist/main/index.js', '/dist/preload/index.cjs', '/dist/worker/entry.cjs']) {
      expect(files).toContain(file)
    }
    expect(files).toContain('/dist/renderer/index.html')
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([])
    expect(files.some((file) => file.startsWith('/src/') || file.startsWith('/test/'))).toBe(false)
  })

  it('unpacks every native addon and the bundled ffmpeg beside the archive', () => {
    const addons = listPackage(archive, { isPack: false }).filter((file) => file.endsWith('.node'))
    expect(addons.length).toBeGreaterThan(0)
    for (const addon of addons) {
      expect((statFile(archive, addon.slice(1)) as { unpacked?: boolean }).unpacked).toBe(true)
      expect(existsSync(join(resources, 'app.asar.unpacked', addon))).toBe(true)
    }
    expect(existsSync(join(resources, 'app.asar.unpacked/node_modules/@ffmpeg-installer'))).toBe(true)
  })

  it('ships the Electron-ABI SQLite addon as a resource and leaves the Node build out', () => {
    expect(existsSync(join(resources, 'native/better_sqlite3.node'))).toBe(true)
    const files = listPackage(archive, { isPack: false })
    expect(files).toContain('/node_modules/better-sqlite3/lib/index.js')
    expect(files.filter((file) => file.startsWith('/node_modules/better-sqlite3/build'))).toEqual([])
  })
})
