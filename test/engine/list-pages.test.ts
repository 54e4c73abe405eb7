import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readListPage } from '../../src/main/db/list-page'
import { applicationId, migrations } from '../../src/main/db/migrations'
import { openDatabase, type SqliteDatabase } from '../../src/main/db/open-database'
import type { Job, JobState } from '../../src/shared/job'
import type { ListQuery } from '../../src/shared/schemas'
import { useTempDir } from '../support/temp-dir'

const kinds = ['image.convert', 'file.hash', 'media.transcode', 'file.decompress'] as const
const states: JobState[] = ['succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled', 'queued', 'succeeded']

/** Jobs as months of use leave them: mixed kinds and states, labels like file names. */
function addJobs(db: SqliteDatabase, from: number, count: number): void {
  const insert = db.prepare(
    `INSERT INTO jobs (kind, label, state, input, created_at, finished_at) VALUES (?, ?, ?, '{}', ?, ?)`,
  )
  db.transaction(() => {
    for (let n = from; n < from + count; n++) {
      const state = states[(n * 7919) % states.length]!
      const label = n % 97 === 0 ? `Holiday_${n}.MOV` : `photo_${n}.jpg`
      insert.run(kinds[n % kinds.length], label, state, n, state === 'queued' ? null : n + 1)
    }
  })()
}

/** What a page of `query` must hold: every job, filtered as the contract says, in the page's order. */
function expected(db: SqliteDatabase, query: ListQuery): string[] {
  const rows = db.prepare(`SELECT id, kind, label, state FROM jobs ORDER BY id`).all() as Job[]
  const text = query.text?.toLowerCase()
  const ids = rows
    .filter((job) => !query.states?.length || query.states.includes(job.state))
    .filter((job) => !query.kind || job.kind === query.kind)
    .filter((job) => !text || job.label.toLowerCase().includes(text) || job.kind.includes(text))
    .map((job) => String(job.id))
  return query.order === 'asc' ? ids : ids.reverse()
}

/** Follows the cursor to the last page, calling `between` after each page; checks each page's shape. */
function readAll(
  db: SqliteDatabase,
  query: ListQuery,
  budgetMs: number,
  between = () => {},
  maxChars?: number,
): string[] {
  const seen: string[] = []
  let cursor: string | undefined
  for (let calls = 0; calls < 10_000; calls++) {
    const page = readListPage(db, { ...query, ...(cursor !== undefined && { cursor }) }, { budgetMs, maxChars })
    expect(page.jobs.length).toBeLessThanOrEqual(query.limit ?? 100)
    seen.push(...page.jobs.map((job) => job.id))
    if (page.nextCursor === undefined) return seen
    cursor = page.nextCursor
    between()
  }
  throw new Error('the pages never ended')
}

const queries: ListQuery[] = [
  {},
  { states: ['failed'] },
  { states: ['cancelled'], kind: 'file.decompress' },
  { states: ['failed', 'queued'], kind: 'image.convert' },
  { kind: 'media.transcode' },
  { text: 'holiday_' },
  { text: '.mov', states: ['succeeded', 'failed'] },
  { text: 'decompress' },
  { text: 'no such file' },
]

describe('list pages over a long history', () => {
  const tempDir = useTempDir()
  const openWith = (count: number) => {
    const { db } = openDatabase(tempDir())
    addJobs(db, 1, count)
    return db
  }

  it('returns every matching job exactly once and in order, however short the scan budget', () => {
    const db = openWith(4000)
    // A gap in the ids, as removing finished jobs leaves.
    db.prepare(`DELETE FROM jobs WHERE id BETWEEN 1500 AND 2600`).run()
    try {
      for (const query of queries) {
        for (const order of ['desc', 'asc'] as const) {
          const want = expected(db, { ...query, order })
          expect(readAll(db, { ...query, order, limit: 7 }, 0), JSON.stringify({ query, order })).toEqual(want)
          expect(readAll(db, { ...query, order, limit: 50 }, 1000)).toEqual(want)
        }
      }
    } finally {
      db.close()
    }
  })

  it('a search for a label as it is shown finds it, though the name in it is isolated by invisible marks', () => {
    const db = openWith(300)
    const insert = db.prepare(
      `INSERT INTO jobs (kind, label, state, input, created_at) VALUES (?, ?, 'succeeded', '{}', 0)`,
    )
    const shown = insert.run('image.convert', '\u2068photo.jpg\u2069 → WebP').lastInsertRowid
    const hebrew = insert.run('image.convert', '\u2068תמונה.png\u2069 → AVIF').lastInsertRowid
    try {
      const found = (text: string) => readAll(db, { text }, 0)
      expect(found('photo.jpg → WebP')).toEqual([String(shown)])
      expect(found('PHOTO.JPG → webp')).toEqual([String(shown)])
      expect(found('תמונה.png → AVIF')).toEqual([String(hebrew)])
      // Pasted with its marks, as copying the label from the page may carry them, it still matches.
      expect(found('\u2068photo.jpg\u2069 → WebP')).toEqual([String(shown)])
      expect(found('jpg →')).toEqual([String(shown)])
      expect(found('photo.jpg')).toEqual([String(shown)])
      expect(found('photo.jpg → AVIF')).toEqual([])
    } finally {
      db.close()
    }
  })

  it('pages end at their share of job data, and paging on still returns every job once, in order', () => {
    const db = openWith(600)
    try {
      // A row here carries about 15 characters of job data (its label, an empty input): a page of a few jobs.
      const small = readListPage(db, { limit: 100 }, { maxChars: 60 })
      expect(small.jobs.length).toBeGreaterThan(0)
      expect(small.jobs.length).toBeLessThan(10)
      expect(small.nextCursor).toBe(small.jobs.at(-1)!.id)
      for (const query of [{}, { states: ['succeeded'] }, { text: 'holiday_' }] as ListQuery[]) {
        for (const order of ['desc', 'asc'] as const) {
          expect(readAll(db, { ...query, order, limit: 50 }, 1000, () => {}, 60)).toEqual(
            expected(db, { ...query, order }),
          )
        }
      }
    } finally {
      db.close()
    }
  })

  it('a search stopped by its budget answers what it found and where to go on, not "nothing found"', () => {
    const db = openWith(6000)
    try {
      const first = readListPage(db, { text: 'holiday_', limit: 100 }, { budgetMs: 0 })
      expect(first.jobs.length).toBeLessThan(100)
      expect(first.nextCursor).toBeDefined()
      // The cursor is the id the scan stopped at: the next call goes on below it.
      expect(first.jobs.every((job) => Number(job.id) >= Number(first.nextCursor))).toBe(true)
      expect(readAll(db, { text: 'holiday_' }, 0)).toEqual(expected(db, { text: 'holiday_' }))
    } finally {
      db.close()
    }
  })

  it('oldest first, jobs added between calls are found once; newest first, the list stays where it began', () => {
    const db = openWith(3000)
    try {
      const query: ListQuery = { text: 'holiday_', limit: 3 }
      let next = 3001
      const addMore = () => {
        addJobs(db, next, 200)
        next += 200
      }
      const ascending = readAll(db, { ...query, order: 'asc' }, 0, addMore)
      expect(ascending).toEqual(expected(db, { ...query, order: 'asc' }))
      expect(ascending.some((id) => Number(id) > 3000)).toBe(true)

      const before = expected(db, query)
      expect(readAll(db, query, 0, addMore)).toEqual(before)
    } finally {
      db.close()
    }
  })
})

describe('the list indexes', () => {
  const tempDir = useTempDir()

  it('a database of the previous schema gains them on open, its jobs untouched', () => {
    const dataDir = tempDir()
    const old = new Database(join(dataDir, 'spool.db'))
    old.pragma(`application_id = ${applicationId}`)
    old.exec(migrations[0]!)
    old.pragma('user_version = 1')
    addJobs(old, 1, 500)
    const before = old.prepare(`SELECT * FROM jobs ORDER BY id`).all()
    old.close()

    const { db } = openDatabase(dataDir)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
      // Later versions add columns, empty for jobs stored before them.
      const after = db.prepare(`SELECT * FROM jobs ORDER BY id`).all() as { placing: unknown; stop_asked_at: unknown }[]
      expect(after.map(({ placing: _placing, stop_asked_at: _stopAsked, ...row }) => row)).toEqual(before)
      expect(after.every((row) => row.placing === null && row.stop_asked_at === null)).toBe(true)
      const plan = (query: ListQuery) =>
        (
          db
            .prepare(`EXPLAIN QUERY PLAN SELECT * FROM jobs WHERE state = ? AND kind = ? ORDER BY id DESC`)
            .all(...[query.states![0], query.kind]) as { detail: string }[]
        ).map((step) => step.detail)
      expect(plan({ states: ['cancelled'], kind: 'file.hash' }).join()).toContain('jobs_kind_unsuccessful')
      expect(readAll(db, { states: ['cancelled'], kind: 'file.hash' }, 0)).toEqual(
        expected(db, { states: ['cancelled'], kind: 'file.hash' }),
      )
      // The run order now holds the queued jobs alone, each of them, in the order they run.
      const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).pluck().all()
      expect(indexes).toContain('jobs_queued_order')
      expect(indexes).not.toContain('jobs_queue_order')
      const inOrder = db
        .prepare(`SELECT id FROM jobs INDEXED BY jobs_queued_order WHERE state = 'queued' ORDER BY priority DESC, id`)
        .pluck()
        .all()
      const queued = before.filter((row) => (row as Job).state === 'queued').map((row) => (row as Job).id)
      expect(queued.length).toBeGreaterThan(50)
      expect(inOrder).toEqual(queued)
    } finally {
      db.close()
    }
  })
})
