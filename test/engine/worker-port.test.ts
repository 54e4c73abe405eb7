import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { logTailLines } from '../../src/main/jobs/protocol'
import { toWorkerPort } from '../../src/main/jobs/worker/worker-port'

/** The worker's side of a port whose messages to the main process are kept, one entry per port message. */
function port() {
  const sent: unknown[] = []
  const worker = toWorkerPort({ postMessage: (message: unknown) => sent.push(message), on: () => {} })
  return { worker, sent }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('worker port', () => {
  it('sends a first report at once, and holds one that says the work is done for the end that follows', async () => {
    const { worker, sent } = port()
    worker.post({ t: 'progress', jobId: '1', progress: { done: 1, total: 3, unit: 'files' } })
    await turn()
    expect(sent).toHaveLength(1)
    await sleep(20)
    worker.post({ t: 'progress', jobId: '1', progress: { done: 3, total: 3, unit: 'files' } })
    await sleep(2)
    expect(sent).toHaveLength(1)
    // The job ends a moment later (its outputs flushed): one message says it all.
    worker.post({ t: 'succeeded', jobId: '1', result: { outputs: [] }, ms: 1 })
    await turn()
    expect(sent.slice(1)).toEqual([{ t: 'succeeded', jobId: '1', result: { outputs: [] }, ms: 1 }])
  })

  it('still sends a report of done work within a frame when the job goes on', async () => {
    const { worker, sent } = port()
    worker.post({ t: 'progress', jobId: '2', progress: { fraction: 1 } })
    await turn()
    expect(sent).toEqual([])
    await sleep(40)
    expect(sent).toEqual([{ t: 'progress', jobId: '2', progress: { fraction: 1 } }])
  })

  it('sends a log line after a quiet spell at once, so it reaches the host even if the process dies next', () => {
    const { worker, sent } = port()
    worker.post({ t: 'log', jobId: '4', line: 'about to call the codec' })
    expect(sent).toEqual([{ t: 'log', jobId: '4', line: 'about to call the codec' }])
  })

  it('sends a log line at once while progress streams, so a stream of reports never holds back last words', async () => {
    const { worker, sent } = port()
    worker.post({ t: 'progress', jobId: '8', progress: { done: 1, total: 9 } })
    await turn()
    worker.post({ t: 'progress', jobId: '8', progress: { done: 2, total: 9 } })
    worker.post({ t: 'log', jobId: '8', line: 'about to call the codec' })
    expect(sent.flat()).toContainEqual({ t: 'log', jobId: '8', line: 'about to call the codec' })
  })

  it('sends a stream of log lines once per frame, only the last lines of each job the host keeps', async () => {
    const { worker, sent } = port()
    const started = performance.now()
    for (let i = 1; i <= 100_000; i++) worker.post({ t: 'log', jobId: '5', line: `line ${i}` })
    worker.post({ t: 'log', jobId: '6', line: 'other job' })
    const looped = performance.now() - started
    await sleep(40)
    // The first line at once, then at most one message per frame of 16 ms, each with at most the last lines.
    expect(sent.length).toBeLessThanOrEqual(2 + Math.ceil(looped / 16))
    const messages = sent.flat() as { jobId: string; line: string }[]
    const lines = (jobId: string) => messages.filter((message) => message.jobId === jobId).map(({ line }) => line)
    expect(lines('5').length).toBeLessThanOrEqual((logTailLines + 1) * sent.length)
    expect(lines('5').slice(-logTailLines)).toEqual(
      Array.from({ length: logTailLines }, (_, i) => `line ${100_000 - logTailLines + 1 + i}`),
    )
    expect(lines('6')).toEqual(['other job'])
  })

  it('sends a stream of heartbeats once per frame, one per job, in a loop or across turns', async () => {
    const { worker, sent } = port()
    for (let i = 0; i < 100_000; i++) worker.post({ t: 'heartbeat', jobId: '7' })
    await turn()
    expect(sent).toEqual([{ t: 'heartbeat', jobId: '7' }])
    const started = performance.now()
    while (performance.now() - started < 100) {
      worker.post({ t: 'heartbeat', jobId: '7' })
      await turn()
    }
    await sleep(40)
    // Once per frame of 16 ms at most (timers may come late, never early).
    expect(sent.length).toBeGreaterThan(1)
    expect(sent.length).toBeLessThanOrEqual(1 + Math.ceil((performance.now() - started) / 16))
  })

  it('treats a message its host can no longer take as the host gone, not as an error that ends the worker', async () => {
    // A forked process whose host just died: Node reports the failed send as an 'error' event a moment later.
    const forked = Object.assign(new EventEmitter(), {
      send: () => process.nextTick(() => forked.emit('error', new Error('Channel closed'))),
    })
    const worker = toWorkerPort(forked)
    let gone = 0
    worker.onDisconnect(() => gone++)
    worker.post({ t: 'child', jobId: '3', pid: 1234 })
    await turn()
    expect(gone).toBe(1)
  })
})
