import { describe, expect, it } from 'vitest'
import { formFields } from '../../src/renderer/lib/schema-form'
import { useSpool } from '../support/test-spool'

const openSpool = useSpool({ diagnostics: false })

/** The New job form of each built-in kind, as the dashboard builds it from the kinds the engine lists. */
async function builtinForms() {
  const { spool } = await openSpool()
  return new Map((await spool.kinds()).map((kind) => [kind.kind, formFields(kind)]))
}

describe('the New job form of the built-in kinds', () => {
  it('every choice reads in words (JPEG, SHA-256, Brotli, "Replace it"), never as the value the engine stores', async () => {
    for (const [kind, fields] of await builtinForms()) {
      for (const field of fields.filter((candidate) => candidate.kind === 'enum')) {
        const unnamed = field.options!.filter((option) => !field.optionLabels?.[option])
        expect(unnamed, `${kind}: ${field.label}`).toEqual([])
      }
    }
  })

  it('image sizes say their unit and quality its range', async () => {
    const images = (await builtinForms()).get('image.convert')!
    const label = (name: string) => images.find((field) => field.name === name)?.label
    expect([label('width'), label('height'), label('quality')]).toEqual([
      'Width (px)',
      'Height (px)',
      'Quality (1–100)',
    ])
    expect(images.find((field) => field.name === 'format')?.optionLabels?.jpeg).toBe('JPEG')
  })
})
