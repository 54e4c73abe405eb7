import { gunzipSync, gzipSync } from 'node:zlib'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Spool } from '../../src/main/jobs'
import type { JobEvent } from '../../src/shared/events'
import { eventually, useSpool } from '../support/test-spool'
import { tempOutputs } from '../support/kind-runner'
import { useTempDir } from '../support/temp-dir'

/** Files to compress, each with its own content, so that an output can be told from another's. */
function inputs(dir: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `data-${i}.txt`)
    writeFileSync(path, `file ${i} `.repeat(20_000))
    return path
  })
}

/** Jobs not yet seen to be short go to a worker one at a time: these show that they are. */
async function warmUp(spool: Spool): Promise<void> {
  const ids = await spool.submit([
    { kind: 'debug.sleep', input: { ms: 0 } },
    { kind: 'debug.sleep', input: { ms: 0 } },
  ])
  for (const id of ids) await spool.wait(id)
}

describe('a worker hands its turn on while a job places its outputs', () => {
  const tempDir = useTempDir()
  const open = useSpool()

  it('starts the next job while the disk confirms the last one’s files; the output is whole', async () => {
    const dir = tempDir()
    // One worker: every job runs in it, one after the other.
    const { spool } = await open({ roots: [dir], concurrency: 1 })
    await warmUp(spool)
    // 64 MB out of 64 kB: written in a moment, it takes the disk far longer to confirm than a job of nothing takes.
    const content = Buffer.alloc(64 * 1024 * 1024, 'spool ')
    const input = join(dir, 'big.txt.gz')
    writeFileSync(input, gzipSync(content))
    const events: JobEvent[] = []
    spool.subscribe((batch) => events.push(...batch.events))
    const ids = await spool.submit([
      { kind: 'file.decompress', input: { input } },
      { kind: 'debug.sleep', input: { ms: 0 } },
    ])
    const ended: string[] = []
    const jobs = await Promise.all(ids.map((id) => spool.wait(id).then((job) => (ended.push(job.kind), job))))
    for (const job of jobs) expect(job.state).toBe('succeeded')
    expect(ended).toEqual(['debug.sleep', 'file.decompress'])
    // Every window is told the job is saving, not at work, as the next one starts: "at once" is not exceeded.
    // (Events reach subscribers in batches, up to 16 ms after `wait` answers: the last end is waited for.)
    const told = () =>
      events.flatMap((event) =>
        event.type === 'started' || event.type === 'saving' || event.type === 'succeeded'
          ? [`${event.type} ${event.job.kind}${event.job.saving ? ' (saving)' : ''}`]
          : [],
      )
    await eventually(() => told().at(-1) === 'succeeded file.decompress')
    expect(told().slice(-5)).toEqual([
      'started file.decompress',
      'saving file.decompress (saving)',
      'started debug.sleep',
      'succeeded debug.sleep',
      'succeeded file.decompress',
    ])
    expect((await spool.get(ids[0]!))?.saving).toBeUndefined()
    expect(readFileSync(join(dir, 'big.txt')).equals(content)).toBe(true)
    expect(tempOutputs(dir)).toEqual([])
  })

  it.each(['crash', 'exit'])(
    'a job whose worker the next job kills (by %s) while it places its outputs runs again: done once, its output once',
    async (mode) => {
      const dir = tempDir()
      const { spool } = await open({ roots: [dir], concurrency: 1 })
      await warmUp(spool)
      const files = inputs(dir, 3)
      const ids = await spool.submit(
        files.flatMap((input) => [
          { kind: 'file.compress', input: { input } },
          { kind: 'debug.fail', input: { mode } },
        ]),
      )
      const jobs = await Promise.all(ids.map((id) => spool.wait(id)))
      jobs.forEach((job, i) => {
        if (i % 2 === 0) expect([job.state, job.error?.message]).toEqual(['succeeded', undefined])
        else expect(job.error?.code).toBe('WORKER_CRASHED')
      })
      // The job after each conversion kills their worker at once, while the conversion's files are flushed.
      expect(jobs.filter((job) => job.kind === 'file.compress' && job.attempts === 2).length).toBeGreaterThan(0)
      // Run again, each replaced what it had put in place before: no "data-0.txt (1).gz" beside it.
      const names = files.map((input) => basename(input))
      expect(readdirSync(dir).sort()).toEqual(names.flatMap((name) => [name, `${name}.gz`]).sort())
      for (const input of files) expect(gunzipSync(readFileSync(`${input}.gz`))).toEqual(readFileSync(input))
    },
  )
})
