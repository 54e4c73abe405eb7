import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultWorkerEntry } from '../../src/main/jobs/node-launcher'
import { workerTempRoot } from '../../src/main/jobs/worker/worker-temp'
import { isRunning } from '../support/processes'
import { eventually } from '../support/test-spool'

/**
 * A worker with this test as its host: what the worker does on its own when no host is left to clean up after
 * it (the host kills a dead worker's children itself; here nobody does).
 */
function startWorker(output: 'ignore' | 'pipe' = 'ignore'): {
  worker: ChildProcess
  messages: Record<string, unknown>[]
} {
  const { entry, execArgv } = defaultWorkerEntry()
  const worker = fork(entry, [], { execArgv, stdio: ['ignore', output, output, 'ipc'], serialization: 'json' })
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

  it('cleans up as its host dies when a job writes to stderr that no one reads any more', async () => {
    const { worker, messages } = startWorker('pipe')
    started.push(worker.pid!)
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    await eventually(() => messages.some((message) => message.t === 'ready'))
    // The host's ends of the pipes go with it; its disconnect may be heard only after a write has failed.
    worker.stdout!.resume()
    worker.stderr!.destroy()
    // The job writes its temp file, then a line to stderr ("about to hang"), which cannot be written.
    worker.send({ t: 'run', jobId: '1', attempt: 1, kind: 'debug.fail', input: { mode: 'hang', tempFile: true } })
    await exited
    expect(existsSync(workerTempRoot(worker.pid!))).toBe(false)
    // The failed write is not the job's error: nothing is told of it, as no host is left to hear.
    expect(messages.filter((message) => message.t === 'failed')).toEqual([])
  })
})
