import type { Rolldown } from 'vite'
import { build } from 'vite'
import { describe, expect, it } from 'vitest'

/** The npm packages a built chunk was made from ("vue", "@vue/runtime-core", …). */
function packagesOf(chunk: Rolldown.OutputChunk): string[] {
  const names = chunk.moduleIds
    .filter((id) => id.includes('/node_modules/'))
    .map((id) => {
      const parts = id.split('/node_modules/').pop()!.split('/')
      return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
    })
  return [...new Set(names)].sort()
}

describe('the dashboard bundle', () => {
  it('leaves validation to the host: the page loads no schema library', { timeout: 60_000 }, async () => {
    const result = await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { write: false } })
    const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
    const chunks = outputs.flatMap((output) => output.output.filter((item) => item.type === 'chunk'))
    expect(chunks.length).toBeGreaterThan(0)
    const packages = new Set(chunks.flatMap(packagesOf))
    expect(packages).toContain('vue')
    expect(packages).not.toContain('zod')
  })
})
