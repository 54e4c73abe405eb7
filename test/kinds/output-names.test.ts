import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderName } from '../../src/main/jobs/outputs/output-name'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'

/** Names Windows cannot hold or reads as another name, whatever the system the template was written on. */
const refused: [string, RegExp][] = [
  ['   ', /only of spaces/],
  ['{name} ', /ending in a space or a dot/],
  ['{name}.{ext} ', /ending in a space or a dot/],
  ['{name} .', /ending in a space or a dot/],
  ['{name}.{ext}. ', /ending in a space or a dot/],
  ['CON', /reserves for a device/],
  ['nul.{ext}', /reserves for a device/],
  ['Com1.txt', /reserves for a device/],
  ['LPT9{ext}', /reserves for a device/],
  ['aux .{ext}', /reserves for a device/],
  ['conin$', /reserves for a device/],
]

describe('output name templates', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  it.each(refused)(
    '%j is refused at submit INVALID_INPUT naming the field, and nothing runs',
    async (nameTemplate, why) => {
      const root = tempDir()
      writeFileSync(join(root, 'notes.txt'), 'some notes')
      const { spool } = await open({ roots: [root] })
      const error = await spool
        .submit([
          { kind: 'file.hash', input: { input: join(root, 'notes.txt') } },
          { kind: 'file.compress', input: { input: join(root, 'notes.txt'), nameTemplate } },
        ])
        .catch((e: { code: string; message: string; detail?: { field?: string } }) => e)
      expect(error).toMatchObject({ code: 'INVALID_INPUT', detail: { field: '1.input.nameTemplate' } })
      expect((error as { message: string }).message).toMatch(why)
      expect((await spool.list({})).jobs).toEqual([])
      expect(readdirSync(root)).toEqual(['notes.txt'])
    },
  )

  it('names that only look close are kept', async () => {
    const root = tempDir()
    writeFileSync(join(root, 'notes.txt'), 'some notes')
    const { spool } = await open({ roots: [root] })
    const templates = ['con-{name}.{ext}', 'COM10.{ext}', 'nul{name}.{ext}', ' {name}.{ext}', '{name}.']
    const ids = await spool.submit(
      templates.map((nameTemplate) => ({
        kind: 'file.compress',
        input: { input: join(root, 'notes.txt'), nameTemplate },
      })),
    )
    for (const id of ids) expect((await spool.wait(id)).state).toBe('succeeded')
    expect(readdirSync(root).sort()).toEqual(
      [' notes.txt.gz', 'COM10.txt.gz', 'con-notes.txt.gz', 'notes', 'notes.txt', 'nulnotes.txt.gz'].sort(),
    )
  })

  it('an input whose own name makes a reserved or space-ended output is refused on Windows and kept elsewhere', () => {
    const parts = { ext: '', preset: 'gzip' }
    expect(() => renderName('{name}.{ext}', { ...parts, name: 'NUL' }, 'win32')).toThrow(/reserves for a device/)
    expect(() => renderName('{name}{ext}', { ...parts, name: 'draft ' }, 'win32')).toThrow(/ending in a space/)
    expect(renderName('{name}.{ext}', { ...parts, name: 'NUL' }, 'linux')).toBe('NUL')
    expect(() => renderName('{name}', { ...parts, name: '  ' }, 'linux')).toThrow(/only of spaces/)
  })
})
