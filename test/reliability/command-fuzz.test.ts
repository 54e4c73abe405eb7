import fc from 'fast-check'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobErrorCodes } from '../../src/shared/errors'
import { openSpool, type Spool } from '../../src/main/jobs'
import * as values from './fuzz-values'

const runs = Number(process.env.SPOOL_FUZZ_RUNS ?? 1000)
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort()
const tally = new Map<string, { ok: number; refused: number }>()

/** Calls a command with anything at all: the caller's side of a boundary does no checking. */
type AnyCommand = (spool: Spool, params: unknown) => Promise<unknown>
const command =
  (name: keyof Spool): AnyCommand =>
  (spool, params) =>
    (spool[name] as (params: unknown) => Promise<unknown>).call(spool, params)

/**
 * One fuzzed call: it succeeds, or it throws an error whose `code` is on the list (never INTERNAL, which
 * would mean the bad input got past validation) and leaves the queue as it was. Nothing reaches
 * Object.prototype either way. Jobs a successful submit added are cancelled and removed again, so the
 * queue stays small and every counted snapshot is cheap.
 */
async function check(spool: Spool, name: string, run: AnyCommand, params: unknown): Promise<void> {
  const counts = tally.get(name) ?? { ok: 0, refused: 0 }
  tally.set(name, counts)
  const before = (await spool.snapshot()).counts
  let outcome: unknown
  try {
    outcome = await run(spool, params)
    counts.ok++
  } catch (error) {
    counts.refused++
    const code = (error as { code?: unknown }).code
    if (!jobErrorCodes.includes(code as never) || code === 'INTERNAL') {
      throw new Error(`uncoded or internal error ${String(code)}: ${String(error)}`, { cause: error })
    }
    expect((await spool.snapshot()).counts).toEqual(before)
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames)
  if (run === submit && Array.isArray(outcome)) {
    const ids = outcome as string[]
    await spool.cancel({ ids })
    await spool.remove({ ids })
  }
}

const submit = command('submit')

describe('commands fuzzed with hostile params', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-fuzz-'))
  let spool: Spool

  // One paused queue for the whole file, holding queued and cancelled jobs so that some ids exist.
  beforeAll(async () => {
    spool = await openSpool({ dataDir, diagnostics: true, startPaused: true, concurrency: 1 })
    const ids = await spool.submit(Array.from({ length: 6 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))
    await spool.cancel({ ids: ids.slice(0, 2) })
  })

  afterAll(async () => {
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
    const lines = [...tally].map(([name, { ok, refused }]) => `${name} ${ok} ok / ${refused} refused`)
    const total = [...tally.values()].reduce((sum, { ok, refused }) => sum + ok + refused, 0)
    console.log(`command fuzz: ${total} calls (${lines.join(', ')})`)
  })

  const cases: [string, AnyCommand, fc.Arbitrary<unknown>][] = [
    ['submit', submit, values.submitParams],
    ['cancel', command('cancel'), values.cancelParams],
    ['retry', command('retry'), values.idsParams],
    ['remove', command('remove'), values.idsParams],
    ['get', command('get'), values.jobIds],
    ['list', command('list'), values.listParams],
    ['setConcurrency', command('setConcurrency'), fc.oneof(values.numbers, values.hostile)],
  ]

  for (const [name, run, params] of cases) {
    it(`${name} answers any params with a result or a typed error, changing nothing when it refuses`, async () => {
      await fc.assert(
        fc.asyncProperty(params, (value) => check(spool, name, run, value)),
        { numRuns: runs },
      )
    })
  }

  it('commands without params ignore whatever they are given', async () => {
    const ignoring = (['pause', 'snapshot', 'kinds'] as const).map((name) => [name, command(name)] as const)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ignoring), values.hostile, ([name, run], value) =>
        check(spool, name, run, value),
      ),
      { numRuns: runs },
    )
  })

  it('the queue still runs jobs after all of that', async () => {
    await spool.setConcurrency(1)
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    await spool.resume()
    expect((await spool.wait(id!)).state).toBe('succeeded')
  })
})
