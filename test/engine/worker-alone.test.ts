import { fork, type ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultWorkerEntry } from '../../src/main/jobs/node-launcher'
import { isRunning } from '../support/processes'
import { eventually } from '../support/test-spool'

/**
 * A worker with this test as its host: what the worker does on its own when no host is left to clean up after
 * it (the host kills a dead worker's children itself; here nobody does).
 */
function startWorker(): { worker: ChildProcess; messages: Record<string, unknown>[] } {
  const { entry, execArgv } = defaultWorkerEntry()
  const worker = fork(entry, [], { execArgv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' })
  const messages: Record<string, unknown>[] = []
  worker.on('message', (raw) => messages.push(...((Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[])))
  return { worker, messages }
}

const childPid = (messages: readonly Record<string, unknown>[]) =>
  messages.find((message) => message.t === 'child')?.pid as number | undefined

describe('a worker on its own', () => {
  const started: number[] = []
  afterEach(() => {
    for (const pid of started.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL')
  })

  it.each([
    ['its host disconnects', 'hang', (worker: ChildProcess) => worker.disconnect()],
    ['a job ends the process itself', 'exit', () => {}],
  ])("takes its jobs' children with it when %s", async (_, mode, end) => {
    const { worker, messages } = startWorker()
    started.push(worker.pid!)
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    await eventually(() => messages.some((message) => message.t === 'ready'))
    // The job starts its child, then hangs or exits after a moment.
    worker.send({ t: 'run', jobId: '1', attempt: 1, kind: 'debug.fail', input: { mode, child: true, afterMs: 200 } })
    const child = await eventually(() => childPid(messages))
    started.push(child)
    end(worker)
    await exited
    await expect(eventually(() => !isRunning(child))).resolves.toBe(true)
  })
})
