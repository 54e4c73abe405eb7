// Hostile values for the command fuzz: wrong types, extreme numbers, deep nesting, prototype-pollution
// shapes (as JSON.parse makes them, with an own `__proto__` key), long strings, cycles and sparse arrays.
import fc from 'fast-check'
import { failureModes } from '../../src/main/jobs/kinds/debug-fail'

const pollution = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"ms":0,"__proto__":{"polluted":"yes"}}',
  '{"ids":["1"],"__proto__":{"polluted":"yes"}}',
  '{"all":true,"__proto__":{"all":true,"polluted":"yes"}}',
  '[{"kind":"debug.sleep","input":{"ms":0},"__proto__":{"polluted":"yes"}}]',
  '{"states":["queued"],"constructor":{"prototype":{"polluted":"yes"}}}',
].map((text) => JSON.parse(text) as unknown)

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value }
  return value
}

function cyclic(): unknown {
  const value: Record<string, unknown> = { ms: 0 }
  value.self = value
  return value
}

export const keys = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'valueOf', 'hasOwnProperty'),
  fc.constantFrom('kind', 'input', 'ids', 'all', 'ms', 'steps', 'mode', 'states', 'limit', 'cursor', 'text'),
)

export const numbers = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, -1, 1.5, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 2 ** 31, 65, 64),
  fc.integer(),
  fc.double(),
)

export const longStrings = fc.constantFrom(
  'x'.repeat(201),
  'y'.repeat(100_001),
  '\u{1F4A5}'.repeat(600_000),
  '\0'.repeat(50),
)

export const hostile = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.anything({
      maxDepth: 3,
      key: keys,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      stringUnit: 'binary',
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...pollution) },
  { weight: 1, arbitrary: numbers },
  { weight: 1, arbitrary: longStrings },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean()).map(([d, a]) => nested(d, 1, a)),
  },
  { weight: 1, arbitrary: fc.constant(null).map(cyclic) },
)

const knownIds = ['1', '2', '3', '4', '5', '6']
export const jobIds = fc.oneof(
  fc.constantFrom(...knownIds),
  fc.constantFrom('0', '01', '-1', '1e3', ' 1', '1 ', '1.0', '\u0661', '9999999999999999', '99999999999999999'),
  fc.constantFrom("1'; DROP TABLE jobs; --", '1 OR 1=1', '%', '_'),
  fc.string({ maxLength: 20 }),
  numbers,
  hostile,
)

export const idLists = fc.oneof(
  fc.array(fc.constantFrom(...knownIds), { minLength: 1, maxLength: 3 }),
  fc.array(jobIds, { maxLength: 6 }),
  fc.sparseArray(jobIds, { maxLength: 6 }),
  fc.constant(Array.from({ length: 100_001 }, () => '1')),
  hostile,
)

const kinds = fc.oneof(
  fc.constantFrom('debug.sleep', 'debug.fail', 'image.convert', 'media.transcode'),
  fc.constantFrom('', 'x'.repeat(101), '__proto__', 'constructor', 'toString', 'debug', 'debug.sleep '),
  fc.string({ maxLength: 20 }),
  hostile,
)

const inputs = fc.oneof(
  fc.record({ ms: numbers, steps: numbers, result: hostile }, { requiredKeys: [] }),
  fc.record(
    {
      mode: fc.oneof(fc.constantFrom(...failureModes), fc.string()),
      child: hostile,
      afterMs: numbers,
      message: hostile,
    },
    { requiredKeys: [] },
  ),
  fc.record({ ms: fc.integer({ min: 0, max: 10 }), result: hostile }, { requiredKeys: ['ms'] }),
  fc.record({ path: fc.constantFrom('/etc/passwd', '../../x', '\0', '/dev/zero'), format: fc.string() }),
  hostile,
)

export const specs = fc.record(
  {
    kind: kinds,
    input: inputs,
    label: fc.oneof(fc.string({ maxLength: 30 }), longStrings, hostile),
    priority: fc.oneof(numbers, hostile),
    maxAttempts: fc.oneof(numbers, hostile),
    runAfter: fc.oneof(numbers, hostile),
    [String('__proto__')]: hostile,
    extra: hostile,
  },
  { requiredKeys: ['kind'] },
)

/** Specs that pass validation, carrying hostile values where any value is allowed (a result, a label). */
const acceptableSpecs = fc.record(
  {
    kind: fc.constant('debug.sleep'),
    input: fc.record({ ms: fc.integer({ min: 0, max: 10 }), result: hostile }, { requiredKeys: ['ms'] }),
    label: fc.string({ maxLength: 200, unit: 'binary' }),
    priority: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  },
  { requiredKeys: ['kind', 'input'] },
)

export const submitParams = fc.oneof(
  { weight: 3, arbitrary: fc.array(acceptableSpecs, { minLength: 1, maxLength: 3 }) },
  { weight: 4, arbitrary: fc.array(fc.oneof(specs, acceptableSpecs), { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.sparseArray(specs, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant([]) },
  {
    weight: 1,
    arbitrary: fc.constant(Array.from({ length: 10_001 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } }))),
  },
  { weight: 2, arbitrary: hostile },
)

export const listParams = fc.oneof(
  fc.record(
    {
      states: fc.oneof(fc.array(fc.oneof(fc.constantFrom('queued', 'running', 'done', ''), hostile)), hostile),
      kind: fc.oneof(kinds, fc.constantFrom('%', "' OR 1=1 --")),
      text: fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('%', '_', "'", '"', '\\', '%%_'),
        longStrings,
        hostile,
      ),
      limit: fc.oneof(numbers, hostile),
      cursor: fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.constantFrom('1', '-1', 'abc', "1' OR '1'='1", 'eyJ9'),
        hostile,
      ),
      order: fc.oneof(fc.constantFrom('asc', 'desc', 'ASC', 'random()'), hostile),
      extra: hostile,
    },
    { requiredKeys: [] },
  ),
  hostile,
)

export const cancelParams = fc.oneof(
  fc.record({ ids: idLists, all: hostile }, { requiredKeys: [] }),
  fc.record({ ids: idLists }),
  hostile,
)

export const idsParams = fc.oneof(fc.record({ ids: idLists }), fc.record({ ids: idLists, extra: hostile }), hostile)
