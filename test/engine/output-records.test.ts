import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { JobStore } from '../../src/main/db/job-store'
import { openDatabase, type SqliteDatabase } from '../../src/main/db/open-database'
import { PlacedOutputs } from '../../src/main/db/placed-outputs'
import { OutputRecords } from '../../src/main/jobs/output-records'
import { useTempDir } from '../support/temp-dir'

const tempDir = useTempDir()
const endOfTurn = () => new Promise((resolve) => setImmediate(resolve))
/** Waits until `done()` holds (a commit for someone waiting comes at the end of the turn, or a moment later). */
async function until(done: () => boolean): Promise<void> {
  for (const started = Date.now(); !done(); await new Promise((resolve) => setTimeout(resolve, 1))) {
    if (Date.now() - started > 1_000) throw new Error('not within a second')
  }
}
const spec = { kind: 'file.hash', label: 'a', input: {}, priority: 0, maxAttempts: 1 }
const file = { dev: 1, ino: 2, size: 3, mtimeMs: 4 }

const opened: { close(): void }[] = []
afterEach(() => {
  for (const db of opened.splice(0)) db.close()
})

/** A store on a fresh data folder, a second connection to read what is on disk, and the commits made. */
function openStore() {
  const dir = tempDir()
  const { db } = openDatabase(dir)
  const disk = { full: false, commits: 0 }
  const exec = db.exec.bind(db)
  db.exec = ((sql: string) => {
    if (sql === 'COMMIT') {
      if (disk.full) {
        exec('ROLLBACK')
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
      }
      disk.commits++
    }
    return exec(sql)
  }) as SqliteDatabase['exec']
  const store = new JobStore(db)
  const reader = new Database(join(dir, 'spool.db'), { readonly: true })
  opened.push(reader, db)
  const onDisk = (id: string) => reader.prepare('SELECT state, placing FROM jobs WHERE id = ?').get(Number(id))
  return { store, records: new OutputRecords(store, new PlacedOutputs(db)), onDisk, disk }
}

describe('the outputs a job is about to place', () => {
  it('are saved with the next job’s start in one commit, and the worker is told once both are on disk', async () => {
    const { store, records, onDisk, disk } = openStore()
    const [placing, next] = store.insert([spec, spec], Date.now())
    store.markStarted(placing!.id, 1, Date.now())
    store.commit()
    const commitsBefore = disk.commits

    let seen: unknown
    records.record(placing!.id, [], [file], () => (seen = [onDisk(placing!.id), onDisk(next!.id)]))
    // The worker's next job started in the same message.
    store.markStarted(next!.id, 1, Date.now())
    expect(seen).toBeUndefined()
    expect(onDisk(placing!.id)).toEqual({ state: 'running', placing: null })

    await until(() => seen !== undefined)
    expect(seen).toEqual([
      { state: 'running', placing: JSON.stringify([file]) },
      { state: 'running', placing: null },
    ])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(disk.commits - commitsBefore).toBe(1)
  })

  it('are not answered while they cannot be saved (a full disk): the worker waits until they are', async () => {
    const { store, records, onDisk, disk } = openStore()
    const [job] = store.insert([spec], Date.now())
    store.markStarted(job!.id, 1, Date.now())
    store.commit()

    disk.full = true
    let told = false
    records.record(job!.id, [], [file], () => (told = true))
    await endOfTurn()
    expect(told).toBe(false)

    disk.full = false
    await new Promise((resolve) => setTimeout(resolve, 1_300))
    expect(told).toBe(true)
    expect(onDisk(job!.id)).toEqual({ state: 'running', placing: JSON.stringify([file]) })
  })

  it('forget a cancel asked before them: a restart then runs the job again to finish its outputs, never leaves it cancelled with some', async () => {
    const { store, records } = openStore()
    const [placing, stopped] = store.insert([spec, spec], Date.now())
    for (const job of [placing!, stopped!]) {
      store.markStarted(job.id, 1, Date.now())
      store.askStop(job.id, Date.now())
    }
    expect(store.get(placing!.id)).toMatchObject({ state: 'running', stopping: true })
    records.record(placing!.id, [], [file], () => {})
    store.commit()
    expect(store.get(placing!.id)?.stopping).toBeUndefined()

    const recovered = store.recoverInterrupted(3, Date.now())
    expect(recovered.requeued).toEqual([placing!.id])
    expect(recovered.cancelled).toEqual([{ id: stopped!.id, was: 'running' }])
    expect(store.get(placing!.id)).toMatchObject({ state: 'queued' })
    expect(store.get(stopped!.id)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } })
  })
})
