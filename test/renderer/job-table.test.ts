import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareIds, mergeSorted, withoutIds } from '../../src/renderer/stores/job-order'
import { JobTable } from '../../src/renderer/stores/job-table'
import type { Job } from '../../src/shared/job'
import { job } from './fake-api'

const running = (id: number, startedAt: number): Job => ({ ...job(id, 'running'), startedAt })
const finished = (id: number, finishedAt: number): Job => ({ ...job(id, 'succeeded', 1), finishedAt })
const queued = (id: number, priority = 0): Job => ({ ...job(id), priority })

describe('the dashboard job table', () => {
  it('lists running jobs first, then queued ones in run order, then the most recently finished', () => {
    const table = new JobTable(new Map())
    table.reset([finished(1, 500), queued(7), running(3, 200), queued(4), finished(2, 900), running(6, 100)])
    table.mergePage([queued(8, 5), queued(5), finished(9, 700)])
    expect(table.ids).toEqual(['6', '3', '8', '4', '5', '7', '2', '9', '1'])
    expect(table.running).toEqual(['6', '3'])
    expect(table.activeCount).toBe(6)
  })

  it('orders ids numerically', () => {
    expect(['9', '10', '2', '100'].sort(compareIds)).toEqual(['2', '9', '10', '100'])
  })

  it('merges pages in any order into one list without duplicates', () => {
    const table = new JobTable(new Map())
    table.reset([queued(1), queued(2)])
    table.mergePage([queued(5), queued(6)])
    table.mergePage([queued(3), queued(4), queued(2)])
    expect(table.ids).toEqual(['1', '2', '3', '4', '5', '6'])
  })

  it('a progress event replaces only that job and leaves the order alone', () => {
    const jobs = new Map<string, Job>()
    const table = new JobTable(jobs)
    table.reset([running(1, 10), running(2, 20)])
    const other = jobs.get('2')
    const ids = table.ids
    expect(table.apply([{ type: 'progress', id: '1', progress: { fraction: 0.5 } }])).toBe(false)
    expect(jobs.get('1')!.progress.fraction).toBe(0.5)
    expect(jobs.get('2')).toBe(other)
    expect(table.ids).toBe(ids)
  })

  it('moves a job to its group as it starts, finishes and is retried', () => {
    const table = new JobTable(new Map())
    table.reset([finished(1, 100), queued(2), queued(3)])
    expect(table.apply([{ type: 'added', id: '4', job: queued(4) }])).toBe(true)
    expect(table.ids).toEqual(['2', '3', '4', '1'])
    table.apply([{ type: 'started', id: '2', job: running(2, 300) }])
    expect(table.ids).toEqual(['2', '3', '4', '1'])
    table.apply([
      { type: 'succeeded', id: '2', job: finished(2, 400) },
      { type: 'started', id: '3', job: running(3, 410) },
    ])
    expect(table.ids).toEqual(['3', '4', '2', '1'])
    table.apply([{ type: 'added', id: '1', job: queued(1) }])
    expect(table.ids).toEqual(['3', '1', '4', '2'])
    expect(table.activeCount).toBe(3)
  })

  it('a job added and started in one batch is listed once, as running', () => {
    const table = new JobTable(new Map())
    table.reset([queued(1)])
    table.apply([
      { type: 'added', id: '2', job: queued(2) },
      { type: 'started', id: '2', job: running(2, 50) },
    ])
    expect(table.ids).toEqual(['2', '1'])
    expect(table.running).toEqual(['2'])
  })

  it('a failed attempt that will be retried goes back to the queue in its place', () => {
    const table = new JobTable(new Map())
    table.reset([running(2, 10), queued(1), queued(3)])
    table.apply([{ type: 'failed', id: '2', job: queued(2), willRetry: true }])
    expect(table.ids).toEqual(['1', '2', '3'])
    expect(table.running).toEqual([])
  })

  it('forgets removed jobs; a page fetched before a removal cannot bring them back', () => {
    const table = new JobTable(new Map())
    table.reset([finished(1, 10), queued(2), running(3, 5)])
    table.apply([{ type: 'removed', id: '1' }])
    table.mergePage([finished(1, 10)])
    expect(table.ids).toEqual(['3', '2'])
    expect(table.jobs.has('1')).toBe(false)
  })
})

describe('sorted id lists', () => {
  const sortedIds = fc
    .uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 60 })
    .map((ns) => ns.map(String).sort(compareIds))

  it('merging gives the same list as sorting both together', () => {
    fc.assert(
      fc.property(sortedIds, sortedIds, (a, b) => {
        const incoming = b.filter((id) => !a.includes(id))
        expect(mergeSorted(a, incoming, compareIds)).toEqual([...a, ...incoming].sort(compareIds))
      }),
    )
  })

  it('removing ids keeps the rest in order', () => {
    fc.assert(
      fc.property(sortedIds, fc.uniqueArray(fc.integer({ min: 1, max: 500 })), (list, gone) => {
        const goneIds = new Set(gone.map(String))
        expect(withoutIds(list, goneIds)).toEqual(list.filter((id) => !goneIds.has(id)))
      }),
    )
  })
})
