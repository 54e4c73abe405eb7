// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useJobsStore } from '../../src/renderer/stores/jobs-store'
import { emptyCounts } from '../../src/shared/job'
import { fakeApi, job, settle } from './fake-api'

beforeEach(() => setActivePinia(createPinia()))

describe('the jobs store follows the event stream', () => {
  it('takes a snapshot, then loads every job page by page', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => job(i + 1))
    const fake = fakeApi({ snapshot: { seq: 4, active: [all[0]!] }, all, pageSize: 1000 })
    const store = useJobsStore()
    await store.start(fake.api)
    expect(store.ids).toHaveLength(2500)
    expect(store.ids.slice(0, 3)).toEqual(['1', '2', '3'])
    expect(fake.api.list).toHaveBeenCalledTimes(3)
    expect(fake.api.list).toHaveBeenCalledWith(expect.objectContaining({ order: 'asc' }))
    expect(store.loadingPages).toBe(false)
  })

  it('applies batches in seq order and ignores ones the snapshot already reflects', async () => {
    const fake = fakeApi({ snapshot: { seq: 7, active: [job(1, 'running')] }, all: [job(1, 'running')] })
    const store = useJobsStore()
    await store.start(fake.api)
    fake.push({ seq: 7, events: [{ type: 'removed', id: '1' }] })
    expect(store.jobs.has('1')).toBe(true)
    fake.push({ seq: 8, events: [{ type: 'progress', id: '1', progress: { fraction: 0.25 } }] })
    expect(store.jobs.get('1')!.progress.fraction).toBe(0.25)
    fake.push({ seq: 9, events: [{ type: 'added', id: '2', job: job(2) }] })
    expect(store.visibleIds).toEqual(['1', '2'])
    expect(fake.api.snapshot).toHaveBeenCalledTimes(1)
  })

  it('a gap in seq means a fresh snapshot', async () => {
    const fake = fakeApi({ snapshot: { seq: 1 }, all: [] })
    const store = useJobsStore()
    await store.start(fake.api)
    fake.snapshot.seq = 5
    fake.snapshot.active = [job(3, 'running')]
    fake.all.push(job(3, 'running'))
    fake.push({ seq: 4, events: [{ type: 'progress', id: '3', progress: { fraction: 0.5 } }] })
    await settle()
    expect(fake.api.snapshot).toHaveBeenCalledTimes(2)
    expect(store.ids).toEqual(['3'])
    fake.push({ seq: 6, events: [{ type: 'succeeded', id: '3', job: job(3, 'succeeded', 1) }] })
    expect(store.jobs.get('3')!.state).toBe('succeeded')
  })

  it('batches that arrive while the snapshot is on its way are applied after it', async () => {
    const fake = fakeApi({ snapshot: { seq: 2 }, all: [] })
    const store = useJobsStore()
    const started = store.start(fake.api)
    fake.push({ seq: 2, events: [{ type: 'added', id: '1', job: job(1) }] })
    fake.push({ seq: 3, events: [{ type: 'added', id: '2', job: job(2) }] })
    await started
    expect(store.ids).toEqual(['2'])
  })

  it('filters by state, kind and text, and re-filters when a job changes state', async () => {
    const all = [job(1, 'running'), job(2), { ...job(3, 'failed'), label: 'Holiday photos' }]
    const fake = fakeApi({ snapshot: { seq: 0 }, all })
    const store = useJobsStore()
    await store.start(fake.api)
    store.filter = { states: ['running'], kind: '', text: '' }
    expect(store.visibleIds).toEqual(['1'])
    fake.push({ seq: 1, events: [{ type: 'started', id: '2', job: { ...job(2, 'running'), startedAt: 2_500 } }] })
    expect(store.visibleIds).toEqual(['1', '2'])
    store.filter = { states: [], kind: '', text: 'holiday' }
    expect(store.visibleIds).toEqual(['3'])
    store.filter = { states: [], kind: 'other.kind', text: '' }
    expect(store.visibleIds).toEqual([])
  })

  it('keeps the queue state from queue events', async () => {
    const fake = fakeApi({ snapshot: { seq: 0 } })
    const store = useJobsStore()
    await store.start(fake.api)
    const counts = { ...emptyCounts(), queued: 3 }
    fake.push({
      seq: 1,
      events: [{ type: 'queue', queue: { paused: true, concurrency: 4, counts, finishedBeforeRun: 0 } }],
    })
    expect(store.queue).toEqual({ paused: true, concurrency: 4, counts, finishedBeforeRun: 0 })
  })

  it('shows running jobs above thousands of queued ones, and counts the active ones under any filter', async () => {
    const all = Array.from({ length: 5000 }, (_, i) => job(i + 1, i < 100 ? 'succeeded' : 'queued', i < 100 ? 1 : 0))
    const fake = fakeApi({ snapshot: { seq: 0 }, all, pageSize: 2000 })
    const store = useJobsStore()
    await store.start(fake.api)
    fake.push({ seq: 1, events: [{ type: 'started', id: '4990', job: job(4990, 'running') }] })
    expect(store.visibleIds.slice(0, 3)).toEqual(['4990', '101', '102'])
    expect(store.visibleActiveCount).toBe(4900)
    expect(store.visibleIds[4900]).toBe('100')
    store.filter = { states: [], kind: '', text: 'Job 49' }
    // 490–499 and 4900–4999 are active (4990 running), 49 has finished.
    expect(store.visibleIds.slice(0, 2)).toEqual(['4990', '490'])
    expect(store.visibleActiveCount).toBe(110)
    expect(store.visibleIds.slice(110)).toEqual(['49'])
  })
})
