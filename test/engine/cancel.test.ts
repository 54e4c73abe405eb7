import { describe, expect, it } from 'vitest'
import { eventually, useSpool } from '../support/test-spool'
import { descendants, isAlive, isRunning, loggedChildPids, parentOf } from '../support/processes'

describe('cancel', () => {
  const open = useSpool()

  it('cancels a queued job at once; it never starts', async () => {
    const { spool, events } = await open({ concurrency: 1 })
    const [busy, waiting] = await spool.submit([
      { kind: 'debug.sleep', input: { ms: 300 } },
      { kind: 'debug.sleep', input: { ms: 0 } },
    ])
    expect(await spool.cancel({ ids: [waiting!] })).toBe(1)
    expect(await spool.wait(waiting!)).toMatchObject({ state: 'cancelled', attempts: 0, error: { code: 'CANCELLED' } })
    await spool.wait(busy!)
    expect(events('started').map((event) => 'id' in event && event.id)).toEqual([busy])
  })

  it('stops a cooperative job quickly, and its worker runs the next job', async () => {
    const { spool } = await open({ concurrency: 1, cancelGraceMs: 5000 })
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 60_000, steps: 60 } }])
    await eventually(async () => (await spool.get(id!))?.state === 'running')
    const started = Date.now()
    expect(await spool.cancel({ ids: [id!] })).toBe(1)
    expect((await spool.wait(id!)).state).toBe('cancelled')
    expect(Date.now() - started).toBeLessThan(2000)
    const [next] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    expect((await spool.wait(next!)).state).toBe('succeeded')
  })

  it('kills a job that ignores its signal after the grace period, with every child it started', async () => {
    const { spool } = await open({ cancelGraceMs: 300 })
    const [id] = await spool.submit([{ kind: 'debug.fail', input: { mode: 'orphan' } }])
    const child = await eventually(async () => loggedChildPids((await spool.get(id!))?.log)[0])
    expect(isAlive(child)).toBe(true)
    await spool.cancel({ ids: [id!] })
    expect((await spool.wait(id!)).state).toBe('cancelled')
    await eventually(() => !isAlive(child))
  })

  it('stops a job that blocks its worker in synchronous code, where it cannot even say it started', async () => {
    const { spool } = await open({ concurrency: 1, cancelGraceMs: 300 })
    const [id] = await spool.submit([{ kind: 'debug.fail', input: { mode: 'block' } }])
    // The host takes it to run after a moment of silence from its worker, as a user sees it: running.
    const running = await eventually(async () => {
      const job = await spool.get(id!)
      return job?.state === 'running' && job
    })
    expect(running.startedAt).toBeLessThanOrEqual(Date.now() - 400)
    const workers = descendants(process.pid).filter((pid) => parentOf(pid) === process.pid)
    expect(workers).toHaveLength(1)
    expect(await spool.cancel({ ids: [id!] })).toBe(1)
    expect(await spool.wait(id!)).toMatchObject({ state: 'cancelled', attempts: 1 })
    await eventually(() => !isRunning(workers[0]!))
  })

  it('reports a job that ignores its signal cancelled only once its worker and every child are gone', async () => {
    const { spool } = await open({ cancelGraceMs: 200 })
    const ids = await spool.submit(
      Array.from({ length: 2 }, () => ({ kind: 'debug.fail', input: { mode: 'hang', child: true } })),
    )
    // Each job's tree: its worker (the child's parent), the child it started and anything below that.
    const trees = new Map<string, number[]>()
    for (const id of ids) {
      const child = await eventually(async () => loggedChildPids((await spool.get(id))?.log)[0])
      const worker = parentOf(child)!
      trees.set(id, [worker, child, ...descendants(child)])
    }
    const runningAtCancelled = new Map<string, number[]>()
    spool.subscribe(({ events }) => {
      for (const event of events) {
        if (event.type === 'cancelled') runningAtCancelled.set(event.id, trees.get(event.id)!.filter(isRunning))
      }
    })
    expect([...trees.values()].flat().every(isRunning)).toBe(true)
    await spool.cancel({ ids })
    await Promise.all(ids.map((id) => spool.wait(id)))
    await eventually(() => runningAtCancelled.size === ids.length)
    expect(Object.fromEntries(runningAtCancelled)).toEqual(Object.fromEntries(ids.map((id) => [id, []])))
  })

  it('a job slow to stop shows as stopping to every subscriber and in every answer until it ends', async () => {
    const { spool, events } = await open({ concurrency: 1, cancelGraceMs: 3000 })
    const [id] = await spool.submit([{ kind: 'debug.fail', input: { mode: 'hang' } }])
    await eventually(async () => (await spool.get(id!))?.state === 'running')
    expect((await spool.get(id!))?.stopping).toBeUndefined()
    expect(await spool.cancel({ ids: [id!] })).toBe(1)

    const [stopping] = await eventually(() => events('stopping').length > 0 && events('stopping'))
    expect(stopping).toMatchObject({ id, job: { id, state: 'running', stopping: true, attempts: 1 } })
    expect(await spool.get(id!)).toMatchObject({ state: 'running', stopping: true })
    expect((await spool.snapshot()).active.find((job) => job.id === id)).toMatchObject({ stopping: true })
    expect((await spool.list({ states: ['running'] })).jobs).toMatchObject([{ id, stopping: true }])
    // Asking again changes nothing: no second event.
    await spool.cancel({ ids: [id!] })

    const ended = await spool.wait(id!)
    expect(ended).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } })
    expect(ended.stopping).toBeUndefined()
    expect((await spool.get(id!))?.stopping).toBeUndefined()
    // The end reaches subscribers with the next event batch, which may follow `wait`.
    const cancelled = await eventually(() => events('cancelled')[0])
    expect(cancelled).toMatchObject({ id, job: { state: 'cancelled' } })
    expect('job' in cancelled && cancelled.job.stopping).toBeUndefined()
    expect(events('stopping')).toHaveLength(1)
  })

  it('a cancelled job retried runs as any other, not stopping', async () => {
    const { spool, events } = await open({ concurrency: 1 })
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 60_000, steps: 600 } }])
    await eventually(async () => (await spool.get(id!))?.state === 'running')
    await spool.cancel({ ids: [id!] })
    expect((await spool.wait(id!)).state).toBe('cancelled')
    expect(await spool.retry({ ids: [id!] })).toEqual([id])
    await eventually(async () => (await spool.get(id!))?.state === 'running')
    expect((await spool.get(id!))?.stopping).toBeUndefined()
    // Its start reaches subscribers with the next event batch, which may follow the answer above.
    await eventually(async () => events('started').length === 2)
    const restarted = events('started').at(-1)
    expect(restarted && 'job' in restarted && restarted.job).toMatchObject({ attempts: 2 })
    expect(restarted && 'job' in restarted && restarted.job.stopping).toBeUndefined()
    await spool.cancel({ ids: [id!] })
    expect(await spool.wait(id!)).toMatchObject({ state: 'cancelled', attempts: 2 })
  })

  it('cancel all stops running and queued jobs; cancelling finished jobs is a no-op', async () => {
    const { spool } = await open({ concurrency: 1 })
    const ids = await spool.submit(
      Array.from({ length: 5 }, () => ({ kind: 'debug.sleep', input: { ms: 10_000, steps: 100 } })),
    )
    await eventually(async () => (await spool.snapshot()).counts.running === 1)
    expect(await spool.cancel({ all: true })).toBe(5)
    const jobs = await Promise.all(ids.map((id) => spool.wait(id)))
    expect(jobs.every((job) => job.state === 'cancelled')).toBe(true)
    expect(await spool.cancel({ ids })).toBe(0)
    expect((await spool.snapshot()).counts).toMatchObject({ queued: 0, running: 0, cancelled: 5 })
  })
})
