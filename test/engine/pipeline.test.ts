import { describe, expect, it } from 'vitest'
import { NodeWorkerLauncher, type Spool } from '../../src/main/jobs'
import type { WorkerLauncher, WorkerProcess } from '../../src/main/jobs/launcher'
import { eventually, useSpool } from '../support/test-spool'

const sleep = (ms: number) => ({ kind: 'debug.sleep', input: { ms, steps: Math.max(1, ms / 100) } })

/**
 * Jobs go one per worker until they are seen to be short: a few short ones first, so that the next jobs are
 * handed out ahead of their turn.
 */
async function seenShortJobs(spool: Spool): Promise<void> {
  const ids = await spool.submit(Array.from({ length: 20 }, () => sleep(0)))
  await Promise.all(ids.map((id) => spool.wait(id)))
}

/** Real workers, of which the second says it is ready only `delayMs` after it is (a slow start, a busy machine). */
function slowSecondWorker(delayMs: number): WorkerLauncher {
  const launcher = new NodeWorkerLauncher()
  let launched = 0
  return {
    launch(options): WorkerProcess {
      const worker = launcher.launch(options)
      if (++launched !== 2) return worker
      return {
        get pid() {
          return worker.pid
        },
        send: (message) => worker.send(message),
        onMessage: (listener) =>
          worker.onMessage((message) =>
            (message as { t?: string }).t === 'ready'
              ? setTimeout(() => listener(message), delayMs)
              : listener(message),
          ),
        onExit: (listener) => worker.onExit(listener),
        onOutput: (listener) => worker.onOutput(listener),
        kill: () => worker.kill(),
      }
    },
  }
}

describe('jobs handed to a worker ahead of their turn', () => {
  const open = useSpool()

  it.each([
    ['long', 400],
    ['short', 60],
  ])(
    'a %s job handed to a worker still starting runs on the first worker up, in its place in line',
    async (_, ms) => {
      const { spool, events } = await open({ concurrency: 2, launcher: slowSecondWorker(3000) })
      const ids = await spool.submit(Array.from({ length: 6 }, () => sleep(ms)))
      await Promise.all(ids.map((id) => spool.wait(id)))
      const started = events('started').map((event) => ('id' in event ? event.id : ''))
      expect(started).toEqual(ids)
    },
    30_000,
  )

  it('long jobs, and jobs not yet seen to be short, go one per worker and start in the order of the queue', async () => {
    const { spool, events } = await open({ concurrency: 2 })
    // Both workers up first, so that what is measured is the line alone. Jobs of 400 ms leave the depth at one
    // per worker.
    await Promise.all((await spool.submit([sleep(400), sleep(400)])).map((id) => spool.wait(id)))
    const [first] = await spool.submit([sleep(1200)])
    await eventually(async () => (await spool.get(first!))?.state === 'running')
    const ids = await spool.submit(Array.from({ length: 6 }, () => sleep(700)))
    await eventually(async () => (await spool.get(ids[0]!))?.state === 'running')
    // Two cancelled while the others wait: the next worker to free up takes the next in line.
    await spool.cancel({ ids: [ids[0]!, ids[3]!] })
    await Promise.all(ids.map((id) => spool.wait(id)))
    const started = events('started').map((event) => ('id' in event ? event.id : ''))
    expect(started.slice(2)).toEqual([first, ids[0], ids[1], ids[2], ids[4], ids[5]])
  }, 30_000)

  it('pause stops after the running jobs: a job waiting in a worker does not start', async () => {
    const { spool } = await open({ concurrency: 1 })
    await seenShortJobs(spool)
    const [first, second] = await spool.submit([sleep(1500), sleep(0)])
    await eventually(async () => (await spool.get(first!))?.state === 'running')
    await spool.pause()
    await spool.wait(first!)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await spool.get(second!)).toMatchObject({ state: 'queued', attempts: 0 })
    await spool.resume()
    expect((await spool.wait(second!)).state).toBe('succeeded')
  }, 30_000)

  it('a worker that falls idle takes over a job waiting behind a long one', async () => {
    const { spool } = await open({ concurrency: 2 })
    await seenShortJobs(spool)
    const [long, , short] = await spool.submit([sleep(20_000), sleep(0), sleep(0)])
    const done = await spool.wait(short!)
    expect(done.state).toBe('succeeded')
    // It did not wait for the long job to end; that one starts (its worker may still be starting) and runs on.
    await eventually(async () => (await spool.get(long!))?.state === 'running')
  })

  it('jobs handed out behind one that turns out long are run elsewhere, in their place in line', async () => {
    const { spool } = await open({ concurrency: 2 })
    const noop = () => sleep(0)
    // Many short jobs first: each worker is then handed dozens at once.
    const warm = await spool.submit(Array.from({ length: 200 }, noop))
    await spool.wait(warm[warm.length - 1]!)
    const [long, ...first] = await spool.submit([sleep(20_000), ...Array.from({ length: 100 }, noop)])
    const later = await spool.submit(Array.from({ length: 1500 }, noop))
    await spool.wait(later[later.length - 1]!)
    const finishedAt = async (ids: string[]) => Promise.all(ids.map(async (id) => (await spool.wait(id)).finishedAt!))
    const lastOfFirst = Math.max(...(await finishedAt(first)))
    const lastOfLater = Math.max(...(await finishedAt(later.slice(-100))))
    expect(lastOfFirst).toBeLessThan(lastOfLater)
    expect((await spool.get(long!))?.state).toBe('running')
  }, 60_000)

  it('a job cancelled while waiting in a worker ends cancelled without an attempt', async () => {
    const { spool } = await open({ concurrency: 1 })
    await seenShortJobs(spool)
    const [first, second] = await spool.submit([sleep(1000), sleep(0)])
    await eventually(async () => (await spool.get(first!))?.state === 'running')
    expect(await spool.cancel({ ids: [second!] })).toBe(1)
    expect(await spool.wait(second!)).toMatchObject({ state: 'cancelled', attempts: 0 })
    expect((await spool.wait(first!)).state).toBe('succeeded')
  })

  it('jobs waiting behind one that crashes its worker run on a new worker, not failed', async () => {
    const { spool } = await open({ concurrency: 1 })
    await seenShortJobs(spool)
    const [crash, ...rest] = await spool.submit([
      { kind: 'debug.fail', input: { mode: 'crash', afterMs: 300 } },
      sleep(0),
      sleep(0),
    ])
    expect((await spool.wait(crash!)).error?.code).toBe('WORKER_CRASHED')
    for (const id of rest) expect(await spool.wait(id)).toMatchObject({ state: 'succeeded', attempts: 1 })
  })
})
