import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildElectronBundles } from './built-bundles'

const repo = join(import.meta.dirname, '../..')
const work = mkdtempSync(join(tmpdir(), 'spool-main-'))
const app = join(work, 'app')

interface Report {
  event: string
  [key: string]: unknown
}

/**
 * The app folder as `electron .` would see it, except that `electron` resolves to a stand-in module: the
 * real node_modules (linked package by package), the built bundles, a renderer page, and the SQLite addon
 * where the Electron build goes, here the Node build, since Node is the runtime.
 */
async function stageApp(): Promise<void> {
  mkdirSync(join(app, 'node_modules/electron'), { recursive: true })
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (entry !== 'electron' && entry !== '.bin')
      symlinkSync(join(repo, 'node_modules', entry), join(app, 'node_modules', entry))
  }
  cpSync(join(import.meta.dirname, 'fixtures/fake-electron.mjs'), join(app, 'node_modules/electron/index.mjs'))
  writeFileSync(
    join(app, 'node_modules/electron/package.json'),
    JSON.stringify({ name: 'electron', type: 'module', exports: './index.mjs' }),
  )
  cpSync(join(repo, 'package.json'), join(app, 'package.json'))
  await buildElectronBundles(app)
  mkdirSync(join(app, 'dist/renderer'), { recursive: true })
  writeFileSync(join(app, 'dist/renderer/index.html'), '<!doctype html><title>Spool</title>')
  mkdirSync(join(app, 'dist/native'), { recursive: true })
  cpSync(
    join(repo, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    join(app, 'dist/native/better_sqlite3.node'),
  )
}

function runMain(): Promise<{ reports: Report[]; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(app, 'dist/main/index.js')], {
    cwd: app,
    env: { ...process.env, FAKE_APP_PATH: app, FAKE_USER_DATA: join(work, 'user-data'), SPOOL_DIAGNOSTICS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  // A main process that never quits is a failure to report, not a test run that hangs.
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(watchdog)
      const reports = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Report)
      resolve({ reports, code, stderr })
    })
  })
}

describe('the built main process, run over a stand-in electron module', () => {
  let run: Awaited<ReturnType<typeof runMain>>
  const find = (event: string) => run.reports.filter((report) => report.event === event)

  beforeAll(async () => {
    await stageApp()
    run = await runMain()
  }, 120_000)
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('starts, runs a job submitted over IPC in a worker forked from dist/worker, and quits cleanly', () => {
    expect(find('error'), run.stderr).toEqual([])
    expect(find('fork')[0]).toMatchObject({ entry: join(app, 'dist/worker/entry.cjs'), serviceName: 'Spool worker' })
    expect(find('submitted')[0]).toMatchObject({ ok: true, value: ['1'] })
    expect(find('finished')[0]).toMatchObject({ state: 'succeeded' })
    expect(find('finished')[0]!.batches).toBeGreaterThan(0)
    expect(find('quit')).toHaveLength(1)
    expect(run.code).toBe(0)
  })

  it('registers app://, serves the page with its CSP, and opens a sandboxed window on it', () => {
    expect(find('schemes')[0]).toMatchObject({ schemes: [{ scheme: 'app' }] })
    expect(find('page')[0]).toMatchObject({ status: 200, csp: expect.stringContaining("default-src 'none'") })
    expect(find('load')[0]).toEqual({ event: 'load', url: 'app://spool/index.html' })
    expect(find('window')[0]).toMatchObject({ webPreferences: { sandbox: true, contextIsolation: true } })
  })

  it('refuses IPC from a foreign page', () => {
    expect(find('foreign')[0]).toEqual({ event: 'foreign', refused: true })
  })

  it('announces the finished job on the desktop', () => {
    expect(find('notification')[0]).toEqual({ event: 'notification', title: 'Job finished', body: 'smoke' })
  })
})
