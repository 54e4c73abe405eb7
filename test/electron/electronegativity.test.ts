import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

interface Finding {
  id: string
  file: string
  location: { line: number; column: number }
  description: string
  severity: { name: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' }
  confidence: { name: string }
}
type Scan = (options: Record<string, unknown>, forCli: boolean) => Promise<{ issues: Finding[]; errors: unknown[] }>

const require = createRequire(import.meta.url)
// Built with babel's add-module-exports: the module is the scan function itself.
const scan = require('@doyensec/electronegativity') as Scan
const repo = join(import.meta.dirname, '../..')

/**
 * Findings accepted on purpose, each with the reason. A finding on a specific line is justified where it is,
 * with an `eng-disable` comment beside the code; this list is only for findings that have no line.
 */
const justified: Record<string, string> = {}

// The scan covers what runs in the app: the shell, the preload, the contract and the renderer (when present).
// The engine and the web host run in plain Node and are not Electron code.
const appCode = ['main/electron', 'main/ipc', 'main/index.ts', 'preload', 'shared', 'renderer']

function scanFolder(input: string) {
  const electron = JSON.parse(readFileSync(join(repo, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string
  }
  return scan(
    {
      input,
      customScan: [],
      // Asks the network which Electron releases exist; dependency freshness is npm audit's job in CI.
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electron.version,
      parserPlugins: [],
    },
    false,
  )
}

function blocking(issues: Finding[]): string[] {
  return issues
    .filter((issue) => issue.severity.name === 'MEDIUM' || issue.severity.name === 'HIGH')
    .filter((issue) => !(issue.id in justified))
    .map((issue) => `${issue.severity.name} ${issue.id} ${issue.file}:${issue.location.line} ${issue.description}`)
}

describe('security gate (Electronegativity)', () => {
  const staged = mkdtempSync(join(tmpdir(), 'spool-eng-'))
  afterAll(() => rmSync(staged, { recursive: true, force: true }))

  it('finds nothing of MEDIUM or HIGH severity that is not justified', async () => {
    for (const part of appCode) {
      if (existsSync(join(repo, 'src', part))) cpSync(join(repo, 'src', part), join(staged, part), { recursive: true })
    }
    const result = await scanFolder(join(staged))
    expect(result.errors).toEqual([])
    expect(blocking(result.issues)).toEqual([])
  }, 60_000)

  it('is not vacuous: an insecure window is caught', async () => {
    const insecure = join(staged, '..', `${staged.split(/[\\/]/).pop()}-insecure`)
    mkdirSync(insecure)
    writeFileSync(
      join(insecure, 'main.js'),
      "const { BrowserWindow } = require('electron')\n" +
        'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })\n',
    )
    try {
      const found = blocking((await scanFolder(insecure)).issues)
      for (const check of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']) {
        expect(found.some((line) => line.includes(check))).toBe(true)
      }
    } finally {
      rmSync(insecure, { recursive: true, force: true })
    }
  }, 60_000)
})
