import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { WorkerExit, WorkerLauncher } from '../../src/main/jobs/launcher'
import { killHostAlone, startHost } from '../support/host-runner'
import { integrity } from '../support/integrity'
import { useTempDir } from '../support/temp-dir'
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

describe('a cancel asked while a job runs, across a restart', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  it('a job asked to cancel that had not stopped when the app closed ends cancelled at the next start', async () => {
    const first = await open({ concurrency: 1, cancelGraceMs: 60_000 })
    const [id] = await first.spool.submit([{ kind: 'debug.fail', input: { mode: 'hang' } }])
    await eventually(async () => (await first.spool.get(id!))?.state === 'running')
    await first.spool.cancel({ ids: [id!] })
    await eventually(() => first.events('stopping').length === 1)
    const second = await first.reopen({ cancelGraceMs: 1000 })
    expect(await second.spool.wait(id!)).toMatchObject({
      state: 'cancelled',
      attempts: 1,
      error: { code: 'CANCELLED' },
    })
    expect((await second.spool.snapshot()).counts).toMatchObject({ queued: 0, running: 0, cancelled: 1 })
    expect(second.events('started')).toEqual([])
    // The request is forgotten once carried out: the index of such requests does not grow from start to start.
    const db = new Database(join(first.dataDir, 'spool.db'), { readonly: true })
    expect(db.prepare(`SELECT count(*) FROM jobs WHERE stop_asked_at IS NOT NULL`).pluck().get()).toBe(0)
    db.close()
  })

  it(
    'a job asked to cancel that had not stopped when the host was killed is not run again',
    { timeout: 90_000 },
    async () => {
      const dataDir = tempDir()
      const host = startHost(dataDir, [{ kind: 'debug.fail', input: { mode: 'hang' } }], undefined, {
        cancelStarted: true,
      })
      const { ready } = await host.next((line) => line.ready !== undefined)
      const { id } = await host.next((line) => line.event === 'stopping')
      // Its worker.
      await killHostAlone(host.child, ready!, 1)
      expect(integrity(dataDir)).toBe('ok')

      const { spool, events } = await open({ dataDir })
      expect(await spool.get(id!)).toMatchObject({ state: 'cancelled', attempts: 1, error: { code: 'CANCELLED' } })
      expect((await spool.get(id!))?.stopping).toBeUndefined()
      expect((await spool.snapshot()).counts).toMatchObject({ queued: 0, running: 0, cancelled: 1 })
      // Retried, it runs again as the user now asks.
      await spool.retry({ ids: [id!] })
      await eventually(() => events('started').length === 1)
      expect((await spool.get(id!))?.stopping).toBeUndefined()
      await spool.cancel({ ids: [id!] })
    },
  )

  it('a job asked to cancel while it waited in its worker ends cancelled at the next start, never started', async () => {
    const first = await open()
    await first.spool.pause()
    const [waited, other] = await first.spool.submit([
      { kind: 'debug.sleep', input: { ms: 0 } },
      { kind: 'debug.sleep', input: { ms: 0 } },
    ])
    await first.spool.close()
    // As a host killed while its worker held the job behind another: still queued, its cancel asked.
    const db = new Database(join(first.dataDir, 'spool.db'))
    db.prepare(`UPDATE jobs SET stop_asked_at = ? WHERE id = ?`).run(Date.now(), Number(waited))
    db.close()
    const { spool, events } = await open({ dataDir: first.dataDir, startPaused: false })
    expect(await spool.wait(other!)).toMatchObject({ state: 'succeeded' })
    expect(await spool.get(waited!)).toMatchObject({ state: 'cancelled', attempts: 0, error: { code: 'CANCELLED' } })
    expect((await spool.snapshot()).counts).toMatchObject({ queued: 0, succeeded: 1, cancelled: 1 })
    expect(events('started').map((event) => 'id' in event && event.id)).toEqual([other])
  })

  it('is not kept once the job places its outputs: a restart runs it again to finish them, never leaves it cancelled with some', async () => {
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
