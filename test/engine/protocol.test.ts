import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mainMessage, readMainMessage, readWorkerMessage, workerMessage } from '../../src/main/jobs/protocol'

/** Messages near the valid ones: the right and wrong types, extra and missing keys, long ids. */
const near = (keys: string[], t: fc.Arbitrary<unknown>) =>
  fc.record(
    {
      t,
      jobId: fc.oneof(fc.string({ maxLength: 24 }), fc.integer(), fc.constant(null)),
      attempt: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double(), fc.string()),
      kind: fc.oneof(fc.string({ maxLength: 110 }), fc.constant(undefined)),
      input: fc.anything(),
      result: fc.anything(),
      ms: number,
      extra: fc.anything(),
      __proto__: fc.anything(),
    },
    { requiredKeys: keys as never[] },
  )
const tags = fc.constantFrom('run', 'started', 'succeeded', 'cancel', 'progress', 'placing', 'placing-recorded', 'nope')
const jobId = fc.string({ maxLength: 24 })
/** Numbers as the schemas take them and not: negative, fractional, -0, NaN, infinite, or a string. */
const number = fc.oneof(fc.double(), fc.integer(), fc.constant(-0), fc.string({ maxLength: 3 }))
const progress = fc.oneof(
  fc.record(
    {
      fraction: fc.oneof(number, fc.constant(null), fc.double({ min: 0, max: 1 })),
      done: number,
      total: number,
      unit: fc.string({ maxLength: 24 }),
      message: fc.string({ maxLength: 510 }),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.record({ done: fc.nat(), total: fc.nat(), unit: fc.constant('files'), message: fc.string({ maxLength: 20 }) }),
  // Around the length limits.
  fc.record({
    unit: fc.string({ minLength: 18, maxLength: 22 }),
    message: fc.string({ minLength: 498, maxLength: 502 }),
  }),
  fc.anything(),
)
const placedFile = fc.record(
  { dev: number, ino: number, size: number, mtimeMs: number, extra: fc.anything() },
  { requiredKeys: ['dev', 'ino', 'size', 'mtimeMs'] },
)
const files = fc.oneof(
  fc.array(placedFile, { maxLength: 3 }),
  fc.array(fc.record({ dev: fc.nat(), ino: fc.nat(), size: fc.nat(), mtimeMs: fc.double({ noNaN: true }) }), {
    maxLength: 3,
  }),
  fc.anything(),
)
const raw = fc.oneof(
  fc.record({ t: tags, jobId }),
  fc.record({ t: tags, jobId, result: fc.anything() }),
  fc.record({ t: tags, jobId, result: fc.anything(), ms: number }),
  fc.record({ t: tags, jobId, result: fc.anything(), ms: fc.double({ min: 0, max: 1e6 }) }),
  fc.record({ t: tags, jobId, attempt: fc.integer({ min: -1, max: 3 }), kind: fc.string(), input: fc.anything() }),
  near(['t', 'jobId'], tags),
  near(['t', 'jobId', 'result'], tags),
  near(['t', 'jobId', 'result', 'ms'], tags),
  near(['t', 'jobId', 'attempt', 'kind', 'input'], tags),
  fc.record({ t: tags, jobId, progress, files, extra: fc.anything() }, { requiredKeys: ['t', 'jobId'] }),
  fc.record({ t: fc.constant('progress'), jobId, progress }),
  fc.record({ t: fc.constant('placing'), jobId, files }),
  fc.anything(),
  // As they arrive: through JSON, which can carry an own "__proto__" key.
  fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  fc
    .constantFrom(
      '{"t":"started","jobId":"1","__proto__":{}}',
      '{"t":"succeeded","jobId":"1"}',
      '{"t":"succeeded","jobId":"1","result":null,"ms":0.001,"__proto__":{}}',
      '{"t":"progress","jobId":"1","progress":{"done":1,"__proto__":{}}}',
      '{"t":"placing","jobId":"1","files":[{"dev":1,"ino":2,"size":3,"mtimeMs":4,"__proto__":{}}]}',
      '{"t":"placing-recorded","jobId":"1","__proto__":{}}',
    )
    .map((text) => JSON.parse(text)),
)

describe('protocol', () => {
  it('reads a worker message exactly as its schema does, with the common ones taken directly', () => {
    fc.assert(
      fc.property(raw, (message) => {
        const parsed = workerMessage.safeParse(message)
        expect(readWorkerMessage(message)).toEqual(parsed.success ? parsed.data : null)
      }),
      { numRuns: 5_000 },
    )
    expect(readWorkerMessage({ t: 'succeeded', jobId: '7', result: { ok: 1 }, ms: 0.25 })).toEqual({
      t: 'succeeded',
      jobId: '7',
      result: { ok: 1 },
      ms: 0.25,
    })
    expect(readWorkerMessage({ t: 'succeeded', jobId: '7', result: null })).toBeNull()
    expect(readWorkerMessage({ t: 'succeeded', jobId: '7', result: null, ms: -1 })).toBeNull()
    expect(readWorkerMessage({ t: 'started', jobId: '7', extra: 1 })).toBeNull()
    const file = { dev: 1, ino: 2, size: 3, mtimeMs: 4.5 }
    expect(readWorkerMessage({ t: 'placing', jobId: '7', files: [file] })).toEqual({
      t: 'placing',
      jobId: '7',
      files: [file],
    })
    expect(readWorkerMessage({ t: 'placing', jobId: '7', files: [{ ...file, size: -1 }] })).toBeNull()
    expect(readWorkerMessage({ t: 'placing', jobId: '7', files: Array(100_000).fill(file) })).not.toBeNull()
    expect(readWorkerMessage({ t: 'placing', jobId: '7', files: Array(100_001).fill(file) })).toBeNull()
    expect(readWorkerMessage({ t: 'progress', jobId: '7', progress: { fraction: 1.5 } })).toBeNull()
    expect(readWorkerMessage({ t: 'progress', jobId: '7', progress: { done: Infinity } })).toBeNull()
    expect(readWorkerMessage({ t: 'started', jobId: 'x'.repeat(21) })).toBeNull()
  })

  it('reads a message from the main process exactly as its schema does', () => {
    fc.assert(
      fc.property(raw, (message) => {
        const parsed = mainMessage.safeParse(message)
        expect(readMainMessage(message)).toEqual(parsed.success ? parsed.data : null)
      }),
      { numRuns: 5_000 },
    )
    expect(readMainMessage({ t: 'run', jobId: '1', attempt: 1, kind: 'k', input: null })).not.toBeNull()
    expect(readMainMessage({ t: 'run', jobId: '1', attempt: 0, kind: 'k', input: null })).toBeNull()
    expect(readMainMessage({ t: 'run', jobId: '1', attempt: 1.5, kind: 'k', input: null })).toBeNull()
  })
})
