import { describe, expect, it } from 'vitest'
import { JobInserts, type NewJob } from '../../src/main/db/job-inserts'
import { openDatabase } from '../../src/main/db/open-database'
import { useTempDir } from '../support/temp-dir'

const tempDir = useTempDir()

/** Jobs that differ in every field, so a job stored under another's id shows. */
function batch(count: number, from = 0): NewJob[] {
  return Array.from({ length: count }, (_, index) => {
    const n = from + index
    const job: NewJob = {
      kind: n % 2 ? 'file.hash' : 'image.convert',
      label: `photo_${n}.jpg`,
      input: { n, path: `/in/${n}` },
      priority: (n % 7) - 3,
      maxAttempts: 1 + (n % 3),
    }
    if (n % 5 === 0) job.runAfter = 1_000_000 + n
    return job
  })
}

function stored(db: ReturnType<typeof openDatabase>['db'], id: string) {
  return db
    .prepare(`SELECT kind, label, state, input, priority, max_attempts, created_at, run_after FROM jobs WHERE id = ?`)
    .get(Number(id))
}

describe('storing new jobs', () => {
  it('answers, in order, the id under which each job of a large batch is stored', () => {
    const { db } = openDatabase(tempDir())
    const inserts = new JobInserts(db)
    // Batches that fill several statements and leave some over, one after a job was deleted from the end.
    const first = inserts.insert(batch(450), 7, 'full')
    db.prepare(`DELETE FROM jobs WHERE id = ?`).run(Number(first.at(-1)))
    const second = inserts.insert(batch(401, 450), 8, 'full')
    const ids = [...first, ...second]
    expect(new Set(ids).size).toBe(851)
    expect(Number(second[0])).toBeGreaterThan(Number(first.at(-1)))
    const jobs = [...batch(450), ...batch(401, 450)]
    ids.forEach((id, index) => {
      const job = jobs[index]!
      if (index === 449) return expect(stored(db, id)).toBeUndefined()
      expect(stored(db, id)).toEqual({
        kind: job.kind,
        label: job.label,
        state: 'queued',
        input: JSON.stringify(job.input),
        priority: job.priority,
        max_attempts: job.maxAttempts,
        created_at: index < 450 ? 7 : 8,
        run_after: job.runAfter ?? null,
      })
    })
    db.close()
  })

  it('stores none of a batch that does not fit, and says the disk is full', () => {
    const { db } = openDatabase(tempDir())
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages + 8}`)
    const inserts = new JobInserts(db)
    const big = batch(600).map((job) => ({ ...job, input: { text: 'x'.repeat(400) } }))
    expect(() => inserts.insert(big, 1, 'No room')).toThrow(expect.objectContaining({ code: 'DISK_FULL' }))
    expect(db.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(0)
    // Room again: the same batch is stored whole.
    db.pragma(`max_page_count = ${pages + 10_000}`)
    expect(inserts.insert(big, 1, 'No room')).toHaveLength(600)
    expect(db.prepare(`SELECT count(*) FROM jobs`).pluck().get()).toBe(600)
    db.close()
  })
})
