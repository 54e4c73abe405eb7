// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import QueueHeader from '../../src/renderer/components/QueueHeader.vue'
import type { JobEvent } from '../../src/shared/events'
import { emptyCounts, type Job } from '../../src/shared/job'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

const now = 10_000_000

function video(id: number, state: Job['state'], fields: Partial<Job> = {}): Job {
  return { ...job(id, state), kind: 'media.transcode', label: `clip ${id}.mkv → WebM`, ...fields }
}

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('the whole-queue time left', () => {
  it('prices queued videos by the videos before them, not by thirty photos that took a tenth of a second each', async () => {
    vi.useFakeTimers({ now, toFake: ['Date', 'setInterval', 'clearInterval'] })
    // One video 10 s in with 40 s to go, four more queued, one at a time.
    const running = video(1, 'running', { startedAt: now - 10_000, progress: { fraction: 0.2, etaMs: 40_000 } })
    const queued = [2, 3, 4, 5].map((id) => video(id, 'queued'))
    const counts = { ...emptyCounts(), running: 1, queued: 4, succeeded: 30 }
    const queue = { paused: false, concurrency: 1, counts, finishedBeforeRun: 30 }
    const fake = fakeApi({ all: [running, ...queued], snapshot: { counts, queue, active: [running, ...queued] } })
    const header = await mountWith(QueueHeader, fake)
    const photos: JobEvent[] = Array.from({ length: 30 }, (_, i) => ({
      type: 'succeeded',
      id: String(100 + i),
      job: { ...job(100 + i, 'succeeded'), kind: 'image.convert', startedAt: now - 3_100, finishedAt: now - 3_000 },
    }))
    fake.push({ seq: 1, events: photos })
    await flushPromises()
    // 40 s for the running video, then four at its length (50 s): 4 min, not "about 40 s".
    expect(header.get('.summary').text()).toMatch(/about 4 min 00 s left$/)

    // A video that finished took 60 s: the queued ones are priced at that from now on.
    const done = video(1, 'succeeded', { startedAt: now - 60_000, finishedAt: now })
    const next = video(2, 'running', { startedAt: now, progress: { fraction: 0 } })
    fake.push({
      seq: 2,
      events: [
        { type: 'succeeded', id: '1', job: done },
        { type: 'started', id: '2', job: next },
        { type: 'progress', id: '2', progress: { fraction: 0.5, etaMs: 30_000 } },
        { type: 'queue', queue: { ...queue, counts: { ...counts, succeeded: 31, queued: 3 } } },
      ],
    })
    await flushPromises()
    // 30 s for the running one, then three at 60 s.
    expect(header.get('.summary').text()).toMatch(/about 3 min 30 s left$/)
  })
})
