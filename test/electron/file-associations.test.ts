import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { builtinKinds } from '../../src/main/jobs/kinds'

const config = readFileSync(join(import.meta.dirname, '../../electron-builder.yml'), 'utf8')
const associated = new Set(
  [...config.matchAll(/^\s+ext: \[([^\]]*)\]/gm)].flatMap((match) => match[1]!.split(',').map((ext) => ext.trim())),
)

/** Inputs Spool converts but must not claim system-wide, and why. */
const notClaimed: Record<string, string> = {
  ts: 'also TypeScript source: "Open with Spool" would take over code files',
}

describe('file associations', () => {
  it('"Open with Spool" is offered for every input type a built-in kind converts', () => {
    const accepted = builtinKinds().flatMap((kind) => kind.accepts ?? [])
    expect(accepted.filter((ext) => !associated.has(ext) && !(ext in notClaimed))).toEqual([])
    expect([...associated].filter((ext) => ext in notClaimed)).toEqual([])
    expect(associated.size).toBeGreaterThan(0)
  })
})
