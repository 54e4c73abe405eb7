import Database from 'better-sqlite3'
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { killHostAlone, startHost } from '../support/host-runner'
import { integrity } from '../support/integrity'
import { readOnlyFolder } from '../support/read-only-folder'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'
import { openSpool } from '../../src/main/jobs'

describe('durability', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  it('close and reopen keeps every job, and running ones resume', async () => {
    const first = await open({ concurrency: 1 })
    const [done] = await first.spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    await first.spool.wait(done!)
    const ids = await first.spool.submit([
      { kind: 'debug.sleep', input: { ms: 5000, steps: 50 }, label: 'long' },
      { kind: 'debug.sleep', input: { ms: 10 } },
    ])
    await eventually(async () => (await first.spool.get(ids[0]!))?.state === 'running')
    const second = await first.reopen()
    expect((await second.spool.get(done!))?.state).toBe('succeeded')
    const long = await second.spool.get(ids[0]!)
    expect(long).toMatchObject({ label: 'long' })
    await second.spool.cancel({ ids: [ids[0]!] })
    expect((await second.spool.wait(ids[1]!)).state).toBe('succeeded')
  })

  it('a large queue reopened runs by priority then id while it is still being read; a job cancelled or retried before it was read runs once at most', async () => {
    const first = await open({ startPaused: true })
    const priorities = [0, 5, -1, 0, 2]
    const specs = Array.from({ length: 2_100 }, (_, i) => ({
      kind: 'debug.sleep',
      input: { ms: 0 },
      priority: priorities[i % priorities.length],
    }))
    const ids = await first.spool.submit(specs)
    const failed = await first.spool.submit([{ kind: 'debug.fail', input: { mode: 'throw' }, priority: -1 }])
    await first.spool.cancel({ ids: failed })
    const second = await first.reopen({ concurrency: 1, startPaused: false })
    // Both come late in line: they are not read yet when these commands arrive.
    const cancelled = ids.at(-3)!
    expect(specs.at(-3)!.priority).toBe(-1)
    expect(await second.spool.cancel({ ids: [cancelled] })).toBe(1)
    expect(await second.spool.retry({ ids: failed })).toEqual(failed)
    await Promise.all([...ids.filter((id) => id !== cancelled), ...failed].map((id) => second.spool.wait(id)))
    const byRunOrder = [
      ...ids.map((id, i) => ({ id, priority: specs[i]!.priority! })),
      { id: failed[0]!, priority: -1 },
    ]
      .filter(({ id }) => id !== cancelled)
      .sort((a, b) => b.priority - a.priority || Number(a.id) - Number(b.id))
      .map(({ id }) => id)
    // The last events may still be on their way when the last job is reported done.
    const started = await eventually(() => {
      const seen = second.events('started').map((event) => 'id' in event && event.id)
      return seen.length >= byRunOrder.length && seen
    })
    expect(started).toEqual(byRunOrder)
    expect((await second.spool.get(cancelled))?.state).toBe('cancelled')
  })

  it('a batch is on disk by the time submit answers its ids', async () => {
    const { spool, dataDir } = await open({ startPaused: true })
    const ids = await spool.submit(Array.from({ length: 50 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))
    // Another connection sees only what was committed: a crash now would lose none of them.
    const other = new Database(join(dataDir, 'spool.db'), { readonly: true })
    try {
      const stored = other.prepare(`SELECT id FROM jobs WHERE state = 'queued' ORDER BY id`).pluck().all()
      expect(stored.map(String)).toEqual(ids)
    } finally {
      other.close()
    }
  })

  it(
    'a host killed mid-run loses nothing, leaves nothing running and no process behind',
    { timeout: 90_000 },
    async () => {
      const dataDir = tempDir()
      const specs = [
        { kind: 'debug.fail', input: { mode: 'hang', child: true } },
        ...Array.from({ length: 6 }, () => ({ kind: 'debug.sleep', input: { ms: 20_000, steps: 200 } })),
      ]
      const host = startHost(dataDir, specs)
      const { ready } = await host.next((line) => line.ready !== undefined)
      await host.next((line) => line.event === 'started')
      // Two workers and the child of the job that hangs.
      await killHostAlone(host.child, ready!, 3)
      expect(integrity(dataDir)).toBe('ok')

      const { spool } = await open({ dataDir, startPaused: true })
      const { jobs } = await spool.list({ limit: 100 })
      expect(jobs).toHaveLength(specs.length)
      expect(jobs.filter((job) => job.state === 'running')).toEqual([])
      expect(jobs.map((job) => job.state)).toEqual(specs.map(() => 'queued'))
      expect(jobs.filter((job) => job.attempts === 1).length).toBeGreaterThanOrEqual(1)
      await spool.cancel({ all: true })
    },
  )

  it('a restart keeps the queue as the user left it: how many at once, and paused; a host that says otherwise wins', async () => {
    const first = await open({ concurrency: undefined })
    await first.spool.setConcurrency(3)
    await first.spool.pause()
    const [id] = await first.spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    const second = await first.reopen({ concurrency: undefined })
    expect((await second.spool.snapshot()).queue).toMatchObject({ paused: true, concurrency: 3 })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await second.spool.get(id!)).toMatchObject({ state: 'queued', attempts: 0 })
    await second.spool.resume()
    expect((await second.spool.wait(id!)).state).toBe('succeeded')
    const third = await second.reopen({ concurrency: undefined })
    expect((await third.spool.snapshot()).queue).toMatchObject({ paused: false, concurrency: 3 })
    const fourth = await third.reopen({ concurrency: 1, startPaused: true })
    expect((await fourth.spool.snapshot()).queue).toMatchObject({ paused: true, concurrency: 1 })
  })

  it('a job that was running through three crashes ends INTERRUPTED instead of looping', async () => {
    const first = await open()
    await first.spool.pause()
    const [survivor, repeat] = await first.spool.submit([
      { kind: 'debug.sleep', input: { ms: 0 } },
      { kind: 'debug.sleep', input: { ms: 0 } },
    ])
    await first.spool.close()
    const db = new Database(join(first.dataDir, 'spool.db'))
    db.prepare(`UPDATE jobs SET state = 'running', attempts = 1, interruptions = 0 WHERE id = ?`).run(Number(survivor))
    db.prepare(`UPDATE jobs SET state = 'running', attempts = 3, interruptions = 2 WHERE id = ?`).run(Number(repeat))
    db.close()
    const { spool } = await open({ dataDir: first.dataDir, startPaused: false })
    expect(await spool.wait(survivor!)).toMatchObject({ state: 'succeeded', attempts: 2 })
    expect(await spool.get(repeat!)).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } })
  })

  it('a foreign or damaged database file is kept aside, never overwritten', async () => {
    const dataDir = tempDir()
    writeFileSync(join(dataDir, 'spool.db'), "this is somebody else's file, not a database".repeat(200))
    const { spool } = await open({ dataDir })
    expect(spool.startupNotice).toMatch(/could not be read .* kept as .*spool\.db\.unreadable-/)
    const kept = /kept as (\S+) and/.exec(spool.startupNotice!)![1]!
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(kept, 'utf8')).toContain("somebody else's file")
    expect(spool.startupNotice).not.toContain('read back')
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    expect((await spool.wait(id!)).state).toBe('succeeded')
  })

  it('a database damaged inside is found after a session that did not close cleanly, and kept aside', async () => {
    const first = await open({ startPaused: true })
    await first.spool.submit(
      Array.from({ length: 2000 }, (_, i) => ({ kind: 'debug.sleep', input: { ms: 0 }, label: `photo ${i}` })),
    )
    await first.spool.close()
    const file = join(first.dataDir, 'spool.db')
    const { openSync, writeSync, closeSync } = await import('node:fs')
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 5)
    closeSync(fd)
    writeFileSync(`${file}-wal`, 'left by a crash') // what an unclean end leaves beside it
    const { spool } = await open({ dataDir: first.dataDir })
    expect(spool.startupNotice).toMatch(
      /it is damaged .* kept as .*spool\.db\.unreadable-\S+ and a new one was started/,
    )
    // The jobs on its sound pages are read back into the new one.
    const readBack = Number(/with the ([\d,]+) jobs? read back/.exec(spool.startupNotice!)![1]!.replace(/,/g, ''))
    expect(readBack).toBeGreaterThan(1900)
    expect((await spool.snapshot()).counts.queued).toBe(readBack)
  })
})

describe('a database damaged while in use', () => {
  const open = useSpool()

  /** A queue of 2,000 jobs, closed cleanly, with the pages that hold job `damagedAt` overwritten. */
  async function damagedQueue(damagedAt: number) {
    const first = await open({ startPaused: true })
    const ids = await first.spool.submit(
      Array.from({ length: 2000 }, (_, i) => ({ kind: 'debug.sleep', input: { ms: 0 }, label: `photo ${i}.` })),
    )
    await first.spool.close()
    const file = join(first.dataDir, 'spool.db')
    const bytes = readFileSync(file)
    const fd = openSync(file, 'r+')
    for (let at = bytes.indexOf(`photo ${damagedAt}.`); at >= 0; at = bytes.indexOf(`photo ${damagedAt}.`, at + 1)) {
      writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(at / 4096) * 4096)
    }
    closeSync(fd)
    return { dataDir: first.dataDir, file, ids }
  }

  it('is told as UNAVAILABLE with what to do; the next start checks the file, keeps it aside and reads back its sound jobs', async () => {
    const { dataDir, file, ids } = await damagedQueue(1700)
    // Closed cleanly, the file is not checked whole: the damage is found when the job is read.
    const second = await open({ dataDir, startPaused: true })
    expect(second.spool.startupNotice).toBeUndefined()
    const error = await second.spool.get(ids[1700]!).catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^Spool's database is damaged \(.+\)\. Quit and start Spool again/),
    })
    expect((await second.spool.get(ids[3]!))?.label).toBe('photo 3.')
    expect(existsSync(`${file}-damaged`)).toBe(true)
    await second.spool.close()
    const { spool } = await open({ dataDir, startPaused: true })
    expect(spool.startupNotice).toMatch(/could not be read whole \(it is damaged .* kept as .*spool\.db\.unreadable-/)
    const kept = /kept as (\S+), and/.exec(spool.startupNotice!)![1]!
    expect(existsSync(`${file}-damaged`)).toBe(false)
    expect(existsSync(`${kept}-damaged`)).toBe(true)
    // Every job on a sound page is read back, with its id; those on the damaged page are named.
    const [, from, to] = /jobs #(\d+)–#(\d+) could not be read/.exec(spool.startupNotice!)!
    const lost = ids.filter((id) => Number(id) >= Number(from) && Number(id) <= Number(to))
    expect(lost).toContain(ids[1700])
    expect(lost.length).toBeLessThan(100)
    expect(spool.startupNotice).toContain(`with the ${(2000 - lost.length).toLocaleString('en-US')} jobs read back`)
    const snapshot = await spool.snapshot()
    expect(snapshot.counts.queued).toBe(2000 - lost.length)
    // Every window is told, the web host's too (it has no dialog of its own).
    expect(snapshot.notice).toBe(spool.startupNotice)
    expect(await spool.get(ids[3]!)).toMatchObject({ id: ids[3], label: 'photo 3.', state: 'queued' })
    expect(await spool.get(ids[1999]!)).toMatchObject({ label: 'photo 1999.' })
    await spool.resume()
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    expect((await spool.wait(id!)).state).toBe('succeeded')
  })

  it('a mark of damage on a file that proves sound is forgotten, and every job kept', async () => {
    const first = await open({ startPaused: true })
    const ids = await first.spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    await first.spool.close()
    const file = join(first.dataDir, 'spool.db')
    writeFileSync(`${file}-damaged`, 'damage seen in a write that never reached the file\n')
    const { spool } = await open({ dataDir: first.dataDir })
    expect(spool.startupNotice).toBeUndefined()
    expect(existsSync(`${file}-damaged`)).toBe(false)
    expect((await spool.wait(ids[0]!)).state).toBe('succeeded')
  })
})

describe('a full database', () => {
  const open = useSpool()

  it('refuses a batch that does not fit with DISK_FULL, keeping every job already stored', async () => {
    const { spool } = await open({ maxPageCount: 64 })
    await spool.pause()
    const stored = await spool.submit(Array.from({ length: 20 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))
    const big = { kind: 'debug.sleep', input: { ms: 0, result: 'x'.repeat(900_000) } }
    const error = await spool.submit([big]).catch((e) => e)
    expect(error).toMatchObject({ code: 'DISK_FULL' })
    expect((await spool.snapshot()).counts.queued).toBe(20)
    await spool.resume()
    for (const id of stored) expect((await spool.wait(id)).state).toBe('succeeded')
  })
})

describe('opening a database that cannot be opened', () => {
  const tempDir = useTempDir()
  const open = useSpool()

  it('moves nothing aside when the failure is not the file content (a newer schema)', async () => {
    const dataDir = tempDir()
    const first = await openSpool({ dataDir })
    await first.close()
    const db = new Database(join(dataDir, 'spool.db'))
    db.pragma('user_version = 999')
    db.close()
    await expect(openSpool({ dataDir })).rejects.toThrow(/newer Spool/)
    await expect(openSpool({ dataDir })).rejects.toThrow(join(dataDir, 'spool.db'))
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(dataDir).filter((name) => name.includes('unreadable'))).toEqual([])
  })

  it('refuses a database file it could read but not write, naming it, and leaves it as it was', async (context) => {
    const dataDir = tempDir()
    const first = await openSpool({ dataDir, diagnostics: true, startPaused: true })
    const [id] = await first.submit([{ kind: 'debug.sleep', input: { ms: 0 }, label: 'kept' }])
    await first.close()
    const file = join(dataDir, 'spool.db')
    const unlock = readOnlyFolder(file)
    if (!unlock) return context.skip()
    try {
      // Opened, it would show the queue and then lose every change made to it.
      const opening = openSpool({ dataDir, diagnostics: true })
      await expect(opening).rejects.toMatchObject({ code: 'UNAVAILABLE' })
      await expect(opening).rejects.toThrow(file)
    } finally {
      unlock()
    }
    const { spool } = await open({ dataDir, startPaused: true })
    expect(await spool.get(id!)).toMatchObject({ label: 'kept', state: 'queued' })
  })

  it('refuses a data folder that cannot be made, naming it', async () => {
    const blocker = join(tempDir(), 'a-file')
    writeFileSync(blocker, '')
    const opening = openSpool({ dataDir: join(blocker, 'spool') })
    await expect(opening).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    await expect(opening).rejects.toThrow(blocker)
  })
})
