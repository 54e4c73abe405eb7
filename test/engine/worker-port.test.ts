import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
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
