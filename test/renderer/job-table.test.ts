import { describe, expect, it } from 'vitest'
import { JobTable, newerFirst } from '../../src/renderer/stores/job-table'
import type { Job } from '../../src/shared/job'
import { job } from './fake-api'

describe('the dashboard job table', () => {
  it('orders ids numerically, newest first', () => {
    expect(['9', '10', '2', '100'].sort(newerFirst)).toEqual(['100', '10', '9', '2'])
  })

  it('merges pages into one newest-first list without duplicates', () => {
    const table = new JobTable(new Map())
    table.reset([job(3), job(1)])
    table.mergePage([job(10), job(9), job(3)])
    table.mergePage([job(2)])
    expect(table.ids).toEqual(['10', '9', '3', '2', '1'])
  })

  it('a progress event replaces only that job and is not a structural change', () => {
    const jobs = new Map<string, Job>()
    const table = new JobTable(jobs)
    table.reset([job(1, 'running'), job(2, 'running')])
    const other = jobs.get('2')
    const ids = table.ids
    expect(table.apply([{ type: 'progress', id: '1', progress: { fraction: 0.5 } }])).toBe(false)
    expect(jobs.get('1')!.progress.fraction).toBe(0.5)
    expect(jobs.get('2')).toBe(other)
    expect(table.ids).toBe(ids)
  })

  it('tracks running jobs and removals; a page fetched before a removal cannot bring the job back', () => {
    const table = new JobTable(new Map())
    table.reset([job(1, 'running'), job(2)])
    expect([...table.running]).toEqual(['1'])
    table.apply([
      { type: 'succeeded', id: '1', job: job(1, 'succeeded', 1) },
      { type: 'started', id: '2', job: job(2, 'running') },
      { type: 'added', id: '3', job: job(3) },
    ])
    expect([...table.running]).toEqual(['2'])
    expect(table.ids).toEqual(['3', '2', '1'])
    table.apply([{ type: 'removed', id: '1' }])
    table.mergePage([job(1, 'succeeded')])
    expect(table.ids).toEqual(['3', '2'])
  })
})
