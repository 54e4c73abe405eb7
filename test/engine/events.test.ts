import { describe, expect, it } from 'vitest'
import type { JobEvent } from '../../src/shared/events'
import type { Job } from '../../src/shared/job'
import { eventually, useSpool } from '../support/test-spool'

/** What a window does with the stream: start from a snapshot, then apply each later batch. */
function apply(jobs: Map<string, Job>, event: JobEvent): void {
  if (event.type === 'removed') jobs.delete(event.id)
  else if (event.type === 'progress') {
    const job = jobs.get(event.id)
    if (job) jobs.set(event.id, { ...job, progress: event.progress })
  } else if (event.type !== 'queue') jobs.set(event.id, event.job)
}

describe('events', () => {
  const open = useSpool()

  it('arrive in batches with contiguous seq; a snapshot plus later batches equals the final list', async () => {
    const { spool, batches } = await open({ concurrency: 2 })
    const first = await spool.submit(
      Array.from({ length: 10 }, () => ({ kind: 'debug.sleep', input: { ms: 60, steps: 6 } })),
    )
    await eventually(async () => (await spool.snapshot()).counts.succeeded >= 3)
    const snapshot = await spool.snapshot()
    const view = new Map([...snapshot.active, ...snapshot.recent].map((job) => [job.id, job]))
    const later = await spool.submit([
      { kind: 'debug.fail', input: { mode: 'throw' } },
      { kind: 'debug.sleep', input: { ms: 10_000, steps: 10 } },
    ])
    await spool.cancel({ ids: [later[1]!] })
    await Promise.all([...first, ...later].map((id) => spool.wait(id)))
    await spool.remove({ ids: [first[0]!] })
    await spool.snapshot()

    const seqs = batches.map((batch) => batch.seq)
    expect(seqs).toEqual(seqs.map((_, i) => i + 1))
    for (const batch of batches.filter((b) => b.seq > snapshot.seq))
      for (const event of batch.events) apply(view, event)
    const { jobs } = await spool.list({ limit: 100 })
    const summary = (list: Iterable<Job>) =>
      [...list].map((job) => `${job.id}:${job.state}:${job.attempts}:${job.progress.fraction}`).sort()
    expect(summary(view.values())).toEqual(summary(jobs))
  })

  it('coalesces a flood of progress into at most one event per job per batch', async () => {
    const { spool, batches } = await open()
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 500, steps: 2000 } }])
    await spool.wait(id!)
    await spool.snapshot()
    const progressPerBatch = batches.map((batch) => batch.events.filter((event) => event.type === 'progress').length)
    expect(Math.max(...progressPerBatch)).toBe(1)
    expect(batches.length).toBeLessThan(2000 / 4)
  })

  it('reports rate and ETA while a job runs', async () => {
    const { spool, events } = await open()
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 1500, steps: 30 } }])
    await spool.wait(id!)
    const withEta = events('progress').filter(
      (event) => event.type === 'progress' && event.progress.etaMs !== undefined,
    )
    expect(withEta.length).toBeGreaterThan(3)
    const middle = withEta[Math.floor(withEta.length / 2)]
    if (middle?.type !== 'progress') throw new Error('no progress event')
    expect(middle.progress.rate).toBeGreaterThan(5)
    expect(middle.progress.rate).toBeLessThan(60)
    expect(middle.progress.etaMs).toBeGreaterThan(100)
    expect(middle.progress.etaMs).toBeLessThan(2000)
  })
})
