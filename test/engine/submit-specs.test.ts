import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCommandParams } from '../../src/shared/validate'
import { submitParams } from '../../src/shared/schemas'
import { readSpecsDirectly } from '../../src/shared/submit-specs'

/** Numbers as the schema takes them and not: at and past the limits, fractional, -0, NaN, infinite, unsafe, a string. */
const number = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(-0, 0.5, NaN, Infinity, -Infinity, 2 ** 53, 100, 101, 1_000_000, 1_000_001, -1_000_001),
  fc.constantFrom(8.64e15, 8.64e15 + 1, Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.string({ maxLength: 3 }),
)
/** Inputs JSON keeps and does not (a Map, a Date, NaN, a function), and around the size limit. */
const input = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2, withMap: true, withSet: true, withDate: true, withTypedArray: true }),
  fc.constantFrom(undefined, NaN, () => 1, { at: new Date(0) }, 'x'.repeat(999_998), 'x'.repeat(999_999)),
)
/** Mostly right: a valid value most of the time, so that a batch's one wrong field is what decides. */
const mostly = <T>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: wrong, weight: 1 })
const spec = fc
  .record(
    {
      kind: mostly(fc.constantFrom('k', 'x'.repeat(100)), fc.oneof(fc.constantFrom('', 'x'.repeat(101)), number)),
      input: mostly(fc.jsonValue({ maxDepth: 2 }), input),
      label: mostly(fc.constantFrom('', 'a', 'x'.repeat(200)), fc.oneof(fc.constant('x'.repeat(201)), number)),
      priority: mostly(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.oneof(fc.constantFrom(-1_000_001, 1_000_001, 0.5), number),
      ),
      maxAttempts: mostly(fc.integer({ min: 1, max: 100 }), fc.oneof(fc.constantFrom(0, 101, 1.5), number)),
      runAfter: mostly(fc.constantFrom(0, 1, 8.64e15), fc.oneof(fc.constantFrom(-1, 8.64e15 + 1, -0.5), number)),
    },
    { requiredKeys: ['kind', 'input'] },
  )
  // Now and then a key the schema does not know.
  .chain((value) =>
    fc
      .option(fc.anything({ maxDepth: 1 }), { freq: 10 })
      .map((extra) => (extra === null ? value : { ...value, extra })),
  )
const specs = fc.oneof(
  fc.array(spec, { maxLength: 4 }),
  // Valid ones with one wrong somewhere, or none.
  fc.array(
    fc.record({
      kind: fc.constant('k'),
      input: fc.jsonValue({ maxDepth: 2 }),
      priority: fc.integer({ min: -5, max: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  fc
    .tuple(fc.array(fc.record({ kind: fc.constant('k'), input: fc.constant({}) }), { maxLength: 3 }), spec)
    .map(([valid, last]) => [...valid, last]),
  // As they arrive from a socket: through JSON, which can carry an own "__proto__" key.
  fc.jsonValue({ maxDepth: 3 }),
  fc
    .constantFrom(
      '[{"kind":"k","input":{},"__proto__":{}}]',
      '[{"kind":"k","input":{"__proto__":{"x":1}}}]',
      '[{"kind":"k","input":null,"label":"a"}]',
    )
    .map((text) => JSON.parse(text) as unknown),
  fc.anything({ maxDepth: 2 }),
)

describe('submit specs', () => {
  it('are read directly exactly as the schema reads them, or left to it', () => {
    fc.assert(
      fc.property(specs, (params) => {
        const parsed = submitParams.safeParse(params)
        const direct = readSpecsDirectly(params)
        if (direct) expect(direct).toEqual(parsed.success ? parsed.data : 'refused by the schema')
        // The command's own reading: the direct one when it answers, the schema's otherwise.
        let read: unknown
        try {
          read = parseCommandParams('submit', params)
        } catch (error) {
          read = error
        }
        if (parsed.success) expect(read).toEqual(parsed.data)
        else expect(read).toMatchObject({ code: 'INVALID_INPUT' })
      }),
      { numRuns: 10_000 },
    )
  })

  it('are taken or refused at every limit as the schema takes or refuses them', () => {
    const edges = [-1_000_001, -1_000_000, -1, -0, 0, 0.5, 1, 100, 101, 1_000_000, 1_000_001, 8.64e15, 8.64e15 + 1]
    const values: Record<string, unknown[]> = {
      kind: ['', 'k', 'x'.repeat(100), 'x'.repeat(101), 1],
      input: [undefined, null, 0, NaN, {}, [], new Date(0), 'x'.repeat(999_998), 'x'.repeat(999_999)],
      label: [undefined, '', 'x'.repeat(200), 'x'.repeat(201), 1],
      priority: [undefined, ...edges, NaN, Infinity, '1'],
      maxAttempts: [undefined, ...edges, NaN, '1'],
      runAfter: [undefined, ...edges, Infinity, '1'],
    }
    for (const [field, options] of Object.entries(values)) {
      for (const value of options) {
        const specs = [{ kind: 'k', input: {}, [field]: value }]
        const accepted = submitParams.safeParse(specs).success
        expect({ field, value, direct: readSpecsDirectly(specs) !== null }).toEqual({ field, value, direct: accepted })
      }
    }
  })

  it('take the common batch directly, and leave odd ones to the schema', () => {
    const batch = Array.from({ length: 10_000 }, (_, i) => ({
      kind: 'image.convert',
      input: { n: i },
      priority: i % 3,
    }))
    expect(readSpecsDirectly(batch)).toHaveLength(10_000)
    expect(readSpecsDirectly([...batch, { kind: 'k', input: {} }])).toBeNull()
    expect(readSpecsDirectly([])).toBeNull()
    expect(readSpecsDirectly([Object.assign(Object.create({ inherited: 1 }), { kind: 'k', input: {} })])).toBeNull()
    const read = readSpecsDirectly([{ kind: 'k', input: { a: [1] }, label: 'l', runAfter: 8.64e15 }])
    expect(read).toEqual([{ kind: 'k', input: { a: [1] }, label: 'l', runAfter: 8.64e15 }])
  })
})
