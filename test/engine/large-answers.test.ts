import { describe, expect, it } from 'vitest'
import { answerChars } from '../../src/main/db/job-row'
import { useSpool } from '../support/test-spool'

describe('answers about many jobs with large inputs', () => {
  const open = useSpool()

  it('a list page and a snapshot stay within their share of job data; paging on still finds every job', async () => {
    const { spool } = await open()
    await spool.pause()
    // Inputs near the 1 MB limit: 60 of them are 36 MB, past what one answer carries.
    const bulky = 'x'.repeat(600_000)
    const ids = await spool.submit(
      Array.from({ length: 60 }, (_, n) => ({ kind: 'debug.sleep', input: { ms: 0, result: `${n}${bulky}` } })),
    )
    const size = (jobs: unknown[]) => JSON.stringify(jobs).length

    const first = await spool.list({ limit: 100, order: 'asc' })
    expect(first.jobs.length).toBeLessThan(60)
    expect(size(first.jobs)).toBeLessThan(answerChars + 700_000)
    const seen = first.jobs.map((job) => job.id)
    for (let cursor = first.nextCursor; cursor !== undefined;) {
      const page = await spool.list({ limit: 100, order: 'asc', cursor })
      seen.push(...page.jobs.map((job) => job.id))
      cursor = page.nextCursor
    }
    expect(seen).toEqual(ids)

    const snapshot = await spool.snapshot()
    expect(snapshot.counts.queued).toBe(60)
    expect(snapshot.active.length).toBeLessThan(60)
    expect(snapshot.active.map((job) => job.id)).toEqual(ids.slice(0, snapshot.active.length))
    expect(size(snapshot.active)).toBeLessThan(answerChars + 700_000)
  })
})
