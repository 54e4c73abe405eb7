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
      extra: fc.anything(),
      __proto__: fc.anything(),
    },
    { requiredKeys: keys as never[] },
  )
const tags = fc.constantFrom('run', 'started', 'succeeded', 'cancel', 'progress', 'nope')
const jobId = fc.string({ maxLength: 24 })
const raw = fc.oneof(
  fc.record({ t: tags, jobId }),
  fc.record({ t: tags, jobId, result: fc.anything() }),
  fc.record({ t: tags, jobId, attempt: fc.integer({ min: -1, max: 3 }), kind: fc.string(), input: fc.anything() }),
  near(['t', 'jobId'], tags),
  near(['t', 'jobId', 'result'], tags),
  near(['t', 'jobId', 'attempt', 'kind', 'input'], tags),
  fc.anything(),
  // As they arrive: through JSON, which can carry an own "__proto__" key.
  fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  fc
    .constantFrom('{"t":"started","jobId":"1","__proto__":{}}', '{"t":"succeeded","jobId":"1"}')
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
    expect(readWorkerMessage({ t: 'succeeded', jobId: '7', result: { ok: 1 } })).toEqual({
      t: 'succeeded',
      jobId: '7',
      result: { ok: 1 },
    })
    expect(readWorkerMessage({ t: 'started', jobId: '7', extra: 1 })).toBeNull()
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
