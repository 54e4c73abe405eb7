import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WorkerExit, WorkerLauncher } from '../../src/main/jobs/launcher'
import { eventually, useSpool } from '../support/test-spool'

/** A worker the test speaks for: it says it is ready, and keeps what the host sends it. */
function scriptedWorker() {
  const received: { t: string; jobId?: string }[] = []
  let speak: (message: unknown) => void = () => {}
  const launcher: WorkerLauncher = {
    launch: () => {
      let exited: (exit: WorkerExit) => void = () => {}
      return {
        pid: undefined,
        send: (message) => received.push(...([message].flat() as { t: string }[])),
        onMessage: (listener) => {
          speak = listener
          setImmediate(() => listener({ t: 'ready', pid: 1 }))
        },
        onExit: (listener) => (exited = listener),
        onOutput: () => {},
        kill: () => setImmediate(() => exited({ code: null, signal: 'SIGKILL' })),
      }
    },
  }
  return { launcher, received, speak: (message: unknown) => speak(message) }
}

const file = { dev: 1, ino: 2, size: 3, mtimeMs: 4 }

describe('a cancel that comes once a job places its outputs', () => {
  const open = useSpool()

  it('is not kept: a restart before the job ends runs it again to finish its outputs, never leaves it cancelled with some', async () => {
    const worker = scriptedWorker()
    const first = await open({ concurrency: 1, launcher: worker.launcher })
    const [id] = await first.spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    await eventually(() => worker.received.some((message) => message.t === 'run'))
    worker.speak({ t: 'started', jobId: id })
    worker.speak({ t: 'placing', jobId: id, files: [file] })
    await eventually(() => worker.received.some((message) => message.t === 'placing-recorded'))

    expect(await first.spool.cancel({ ids: [id!] })).toBe(1)
    // Every window still sees what was asked: the job may yet stop before its first output is in place.
    await eventually(() => first.events('stopping').length === 1)
    expect(await first.spool.get(id!)).toMatchObject({ state: 'running', stopping: true })
    const db = new Database(join(first.dataDir, 'spool.db'), { readonly: true })
    await eventually(() => db.prepare(`SELECT placing FROM jobs WHERE id = ?`).pluck().get(Number(id)) !== null)
    expect(db.prepare(`SELECT stop_asked_at FROM jobs WHERE id = ?`).pluck().get(Number(id))).toBeNull()
    db.close()

    const second = await first.reopen({ startPaused: true, launcher: worker.launcher })
    expect(await second.spool.get(id!)).toMatchObject({ state: 'queued', attempts: 1 })
  })
})
