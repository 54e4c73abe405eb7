import { cpSync, existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

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

/** Copies the app's own code (what Electron runs) into `into`, for the scan. */
export function stageAppCode(into: string): void {
  for (const part of appCode) {
    if (existsSync(join(repo, 'src', part))) cpSync(join(repo, 'src', part), join(into, part), { recursive: true })
  }
}

/** Runs Electronegativity on a folder; answers the findings of MEDIUM or HIGH severity not justified. */
export async function electronegativityGate(input: string): Promise<{ blocking: string[]; errors: unknown[] }> {
  const electron = JSON.parse(readFileSync(join(repo, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string
  }
  const result = await scan(
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
  const blocking = result.issues
    .filter((issue) => issue.severity.name === 'MEDIUM' || issue.severity.name === 'HIGH')
    .filter((issue) => !(issue.id in justified))
    .map((issue) => `${issue.severity.name} ${issue.id} ${issue.file}:${issue.location.line} ${issue.description}`)
  return { blocking, errors: result.errors }
}
