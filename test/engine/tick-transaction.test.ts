import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TickTransaction } from '../../src/main/db/tick-transaction'

/** A database whose commits fail as on a full disk while `full` is set (SQLite then rolls the tick back). */
function diskThatFills() {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT)')
  const disk = { full: false, db }
  const exec = db.exec.bind(db)
  db.exec = (sql: string) => {
    if (sql === 'COMMIT' && disk.full) {
      exec('ROLLBACK')
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    }
    return exec(sql)
  }
  return disk
}

const states = (db: Database.Database) => db.prepare('SELECT id, state FROM jobs ORDER BY id').raw().all()

describe('a tick', () => {
  it('commits at the end of this turn once someone waits for it, and otherwise when the tick ends', async () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT)')
    const tick = new TickTransaction(
      db,
      (error) => {
        throw error
      },
      { tickMs: 50 },
    )
    const insert = db.prepare('INSERT INTO jobs (state) VALUES (?)')
    const endOfTurn = () => new Promise((resolve) => setImmediate(resolve))
    // Time stands still but where the test moves it (the end of a turn is real): a busy machine's pauses between
    // the test's steps do not count as the moment that passed.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })

    tick.write(() => insert.run('queued'))
    await endOfTurn()
    expect(db.inTransaction).toBe(true) // nobody waits: the write waits for the rest of the tick

    const told = vi.fn(() => expect(db.inTransaction).toBe(false))
    tick.afterCommit(told)
    tick.write(() => insert.run('queued')) // a later write of the same turn goes with the same commit
    expect(told).not.toHaveBeenCalled()
    await endOfTurn()
    expect(told).toHaveBeenCalledTimes(1)
    expect(states(db)).toEqual([
      [1, 'queued'],
      [2, 'queued'],
    ])

    // Right after a commit, the next one made for someone waiting comes a moment later, not in this turn: a
    // stream of awaited jobs costs a commit per moment, not one per turn.
    const toldAgain = vi.fn()
    tick.write(() => insert.run('queued'))
    tick.afterCommit(toldAgain)
    await endOfTurn()
    expect(toldAgain).not.toHaveBeenCalled()
    vi.advanceTimersByTime(2)
    expect(toldAgain).toHaveBeenCalledTimes(1)
    expect(db.inTransaction).toBe(false)
    vi.useRealTimers()
    db.close()
  })
})

describe('writes held back for the end of the turn', () => {
  it('go with every commit; one that fails is reported and the rest still commits', () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT)')
    const insert = db.prepare('INSERT INTO jobs (state) VALUES (?)')
    const errors: unknown[] = []
    const held: string[] = []
    const tick = new TickTransaction(db, (error) => errors.push(error), {
      beforeCommit: () => {
        for (const state of held.splice(0)) {
          if (state === 'bad') throw new Error('held-back write failed')
          tick.write(() => insert.run(state))
        }
      },
    })
    held.push('running')
    tick.commit()
    expect(states(db)).toEqual([[1, 'running']])
    tick.write(() => insert.run('queued'))
    held.push('bad')
    tick.commit()
    expect(errors).toHaveLength(1)
    expect(db.inTransaction).toBe(false)
    expect(states(db)).toEqual([
      [1, 'running'],
      [2, 'queued'],
    ])
    db.close()
  })
})

describe('a tick that cannot be saved', () => {
  afterEach(() => void vi.useRealTimers())

  it('keeps its writes visible, tells no one, and saves them once the disk has room again', () => {
    vi.useFakeTimers()
    const disk = diskThatFills()
    const errors: unknown[] = []
    const tick = new TickTransaction(disk.db, (error) => errors.push(error))
    const insert = disk.db.prepare('INSERT INTO jobs (state) VALUES (?)')
    const finish = disk.db.prepare(`UPDATE jobs SET state = 'succeeded' WHERE id = ?`)
    tick.write(() => insert.run('queued'))
    tick.commit()

    disk.full = true
    tick.write(() => finish.run(1))
    tick.write(() => insert.run('queued'))
    const told = vi.fn()
    tick.afterCommit(told)
    tick.commit()
    expect(states(disk.db)).toEqual([
      [1, 'succeeded'],
      [2, 'queued'],
    ])
    expect(told).not.toHaveBeenCalled()
    // Later writes join the kept ones; event batches asking for a commit meanwhile do not retry at once.
    tick.write(() => finish.run(2))
    tick.commit()
    vi.advanceTimersByTime(5_000)
    expect(told).not.toHaveBeenCalled()
    expect(errors).toHaveLength(1)

    disk.full = false
    vi.advanceTimersByTime(1_000)
    expect(told).toHaveBeenCalledTimes(1)
    expect(disk.db.inTransaction).toBe(false)
    expect(states(disk.db)).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
    ])
  })

  it('drops a tick that failed for another reason, as before, and reports it', () => {
    const disk = diskThatFills()
    const errors: unknown[] = []
    const tick = new TickTransaction(disk.db, (error) => errors.push(error))
    const insert = disk.db.prepare('INSERT INTO jobs (state) VALUES (?)')
    tick.write(() => insert.run('queued'))
    const exec = disk.db.exec
    disk.db.exec = (sql: string) => {
      if (sql === 'COMMIT') throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })
      return exec(sql)
    }
    const told = vi.fn()
    tick.afterCommit(told)
    tick.commit()
    disk.db.exec = exec
    expect(errors).toHaveLength(1)
    expect(told).toHaveBeenCalledTimes(1)
    expect(states(disk.db)).toEqual([])
    tick.write(() => insert.run('queued'))
    tick.commit()
    expect(states(disk.db)).toEqual([[1, 'queued']])
  })

  it('saves a second after space is back even when the clock was set back an hour meanwhile', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    const disk = diskThatFills()
    const tick = new TickTransaction(disk.db, () => {})
    const insert = disk.db.prepare('INSERT INTO jobs (state) VALUES (?)')
    disk.full = true
    tick.write(() => insert.run('queued'))
    const told = vi.fn()
    tick.afterCommit(told)
    tick.commit()
    vi.setSystemTime(Date.now() - 3_600_000)
    disk.full = false
    // An event batch asks for a commit, as one does every frame while jobs run.
    tick.commit()
    vi.advanceTimersByTime(1_000)
    expect(told).toHaveBeenCalledTimes(1)
    expect(states(disk.db)).toEqual([[1, 'queued']])
  })
})
