import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { eventually, expectCode, useSpool } from '../support/test-spool'

const sleep = (ms: number, steps = 1) => ({ kind: 'debug.sleep', input: { ms, steps } })
const rowCount = (dataDir: string) => {
  const db = new Database(join(dataDir, 'spool.db'), { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('commands', () => {
  const open = useSpool()

  it('submits a batch, runs it and reports every job finished with its result', async () => {
    const { spool } = await open()
    const ids = await spool.submit([sleep(10), { ...sleep(10), label: 'second' }])
    expect(ids).toHaveLength(2)
    const jobs = await Promise.all(ids.map((id) => spool.wait(id)))
    expect(jobs.map((job) => job.state)).toEqual(['succeeded', 'succeeded'])
    expect(jobs[1]).toMatchObject({ label: 'second', attempts: 1, progress: { fraction: 1 }, result: { sleptMs: 10 } })
    expect(jobs[0]!.startedAt).toBeGreaterThanOrEqual(jobs[0]!.createdAt)
    expect(jobs[0]!.finishedAt).toBeGreaterThanOrEqual(jobs[0]!.startedAt!)
  })

  it('get answers null for an unknown id and the log tail for a known one', async () => {
    const { spool } = await open()
    expect(await spool.get('999')).toBeNull()
    const [id] = await spool.submit([{ kind: 'debug.fail', input: { mode: 'throw', child: true } }])
    await spool.wait(id!)
    const job = await spool.get(id!)
    expect(job?.log?.some((line) => line.startsWith('child pid'))).toBe(true)
    expect(job?.error).toMatchObject({ code: 'HANDLER_ERROR', message: 'Failed on purpose' })
  })

  it('rejects an unknown kind and a bad input naming the field, inserting nothing of the batch', async () => {
    const { spool, dataDir } = await open()
    await expectCode(spool.submit([sleep(1), { kind: 'no.such', input: {} }]), 'UNKNOWN_KIND')
    const error = await spool.submit([sleep(1), { kind: 'debug.sleep', input: { ms: -5 } }]).catch((e) => e)
    expect(error).toMatchObject({ code: 'INVALID_INPUT', detail: { field: '1.input.ms' } })
    expect(error.message).toContain('ms')
    await expectCode(spool.submit([]), 'INVALID_INPUT')
    await expectCode(spool.submit([{ ...sleep(1), label: 'x'.repeat(201) }]), 'INVALID_INPUT')
    await expectCode(
      spool.submit([{ kind: 'debug.sleep', input: { ms: 1, result: 'x'.repeat(1_000_001) } }]),
      'INVALID_INPUT',
    )
    // The limit is in bytes of UTF-8: 340,000 "é" are 680,000 bytes, 500,000 of them over a million.
    await expectCode(
      spool.submit([{ kind: 'debug.sleep', input: { ms: 1, result: 'é'.repeat(500_000) } }]),
      'INVALID_INPUT',
    )
    await expectCode(spool.submit(Array.from({ length: 10_001 }, () => sleep(1))), 'INVALID_INPUT')
    await expectCode(spool.submit('nonsense' as never), 'INVALID_INPUT')
    const never = await spool.submit([{ ...sleep(1), runAfter: 8.64e15 + 1 }]).catch((e) => e)
    expect(never).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('later than any date') })
    expect(rowCount(dataDir)).toBe(0)
    const [fits] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 0, result: 'é'.repeat(340_000) } }])
    expect((await spool.wait(fits!)).state).toBe('succeeded')
  })

  it('names a few of many unknown keys, in a message of one line', async () => {
    const { spool } = await open()
    const params: Record<string, unknown> = { limit: 5 }
    for (let i = 0; i < 50_000; i++) params[`extra${i}`] = i
    const error = await spool.list(params as never).catch((e) => e)
    expect(error).toMatchObject({ code: 'INVALID_INPUT' })
    expect(error.message).toMatch(/"extra0", .* and 49995 more$/)
    expect(error.message.length).toBeLessThan(200)
  })

  it('does not accept diagnostic kinds unless diagnostics are on', async () => {
    const { spool } = await open({ diagnostics: false })
    await expectCode(spool.submit([sleep(1)]), 'UNKNOWN_KIND')
    expect((await spool.kinds()).map((kind) => kind.kind)).not.toContain('debug.sleep')
  })

  it('lists kinds with a JSON schema of their input', async () => {
    const { spool } = await open()
    const sleepKind = (await spool.kinds()).find((kind) => kind.kind === 'debug.sleep')
    expect(sleepKind).toMatchObject({ title: 'Sleep (diagnostic)', available: true })
    expect(sleepKind?.inputSchema).toMatchObject({ type: 'object', properties: { ms: { type: 'integer' } } })
  })

  it('lists pages with a cursor, filters by state, kind and text, and ends without a cursor', async () => {
    const { spool } = await open({ concurrency: 1 })
    await spool.pause()
    const ids = await spool.submit(Array.from({ length: 25 }, (_, i) => ({ ...sleep(0), label: `file ${i}` })))
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await spool.list({ limit: 10, ...(cursor && { cursor }) })
      seen.push(...page.jobs.map((job) => job.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([...ids].reverse())
    expect((await spool.list({ order: 'asc', limit: 3 })).jobs.map((job) => job.id)).toEqual(ids.slice(0, 3))
    expect((await spool.list({ text: 'file 1' })).jobs).toHaveLength(11)
    expect((await spool.list({ text: '%' })).jobs).toHaveLength(0)
    expect((await spool.list({ states: ['succeeded'] })).jobs).toHaveLength(0)
    expect((await spool.list({ kind: 'debug.sleep', limit: 100 })).jobs).toHaveLength(25)
    await expectCode(spool.list({ limit: 0 }), 'INVALID_INPUT')
    await expectCode(spool.list({ states: ['lost' as never] }), 'INVALID_INPUT')
    await expectCode(spool.list({ cursor: 'next' }), 'INVALID_INPUT')
  })

  it('says where the current run of work began, so every window counts its progress alike', async () => {
    const { spool } = await open()
    const first = await spool.submit([sleep(0), sleep(0), sleep(0)])
    for (const id of first) await spool.wait(id)
    expect((await spool.snapshot()).queue).toMatchObject({ counts: { succeeded: 3 }, finishedBeforeRun: 0 })
    // Idle, then busy again: a new run, which counts from the three already finished.
    await spool.pause()
    const second = await spool.submit([sleep(0), sleep(0)])
    expect((await spool.snapshot()).queue).toMatchObject({ counts: { queued: 2 }, finishedBeforeRun: 3 })
    await spool.resume()
    for (const id of second) await spool.wait(id)
    expect((await spool.snapshot()).queue).toMatchObject({ counts: { succeeded: 5 }, finishedBeforeRun: 3 })
    // Finished jobs removed: the run's own work still counts.
    await spool.remove({ ids: first })
    expect((await spool.snapshot()).queue).toMatchObject({ counts: { succeeded: 2 }, finishedBeforeRun: 0 })
  })

  it('says how the jobs of the run ended, whatever finished before it', async () => {
    const { spool } = await open()
    const before = await spool.submit([sleep(0), { kind: 'debug.fail', input: { mode: 'throw' } }])
    for (const id of before) await spool.wait(id)
    await spool.pause()
    const run = await spool.submit([sleep(0), sleep(0), { kind: 'debug.fail', input: { mode: 'throw' } }, sleep(5000)])
    await spool.cancel({ ids: [run[3]!] })
    await spool.resume()
    for (const id of run) await spool.wait(id)
    const { queue } = await spool.snapshot()
    expect(queue).toMatchObject({ counts: { succeeded: 3, failed: 2, cancelled: 1 }, finishedBeforeRun: 2 })
    expect(queue.runEnded).toEqual({ succeeded: 2, failed: 1, cancelled: 1 })
    // The failure from before, retried in a new run, is that run's when it ends.
    await spool.retry({ ids: [before[1]!] })
    await spool.wait(before[1]!)
    expect((await spool.snapshot()).queue.runEnded).toEqual({ succeeded: 0, failed: 1, cancelled: 0 })
  })

  it('pauses and resumes the queue and changes concurrency live', async () => {
    const { spool } = await open({ concurrency: 1 })
    expect(await spool.pause()).toMatchObject({ paused: true, concurrency: 1 })
    const ids = await spool.submit([sleep(3000, 30), sleep(3000, 30), sleep(3000, 30)])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await spool.snapshot()).counts.running).toBe(0)
    expect(await spool.setConcurrency(3)).toMatchObject({ concurrency: 3 })
    expect(await spool.resume()).toMatchObject({ paused: false })
    await eventually(async () => (await spool.list({ states: ['running'] })).jobs.length >= 2)
    await Promise.all(ids.map((id) => spool.wait(id)))
    await expectCode(spool.setConcurrency(0), 'INVALID_INPUT')
  })

  it('runs higher priority first and delayed jobs only when due', async () => {
    const { spool } = await open({ concurrency: 1 })
    await spool.pause()
    const [low, high] = await spool.submit([sleep(0), { ...sleep(0), priority: 5 }])
    const [later] = await spool.submit([{ ...sleep(0), runAfter: Date.now() + 400 }])
    await spool.resume()
    const [lowJob, highJob] = await Promise.all([spool.wait(low!), spool.wait(high!)])
    expect(highJob.startedAt!).toBeLessThanOrEqual(lowJob.startedAt!)
    const laterJob = await spool.wait(later!)
    expect(laterJob.startedAt! - laterJob.createdAt).toBeGreaterThanOrEqual(350)
  })

  it('removes only finished jobs and says how many', async () => {
    const { spool } = await open()
    await spool.pause()
    const [done, waiting] = await spool.submit([sleep(0), sleep(0)])
    await spool.cancel({ ids: [done!] })
    expect(await spool.remove({ ids: [done!, waiting!, '12345'] })).toBe(1)
    expect(await spool.get(done!)).toBeNull()
    expect((await spool.snapshot()).counts).toMatchObject({ queued: 1, cancelled: 0 })
  })

  it('refuses commands after close with a typed error', async () => {
    const { spool } = await open()
    await spool.close()
    await expectCode(spool.list({}), 'INTERRUPTED')
  })
})
