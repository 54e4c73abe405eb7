// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import JobList from '../../src/renderer/components/JobList.vue'
import QueueHeader from '../../src/renderer/components/QueueHeader.vue'
import { emptyCounts, type Job } from '../../src/shared/job'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

/** Two jobs at work, two saving their outputs while their workers moved on, three waiting: "At once" is 2. */
function queueOfImages() {
  const saving = (id: number): Job => ({ ...job(id, 'running', 1), saving: true })
  const active = [saving(1), saving(2), job(3, 'running', 0.4), job(4, 'running', 0.1), job(5), job(6), job(7)]
  const counts = { ...emptyCounts(), running: 4, queued: 3 }
  const queue = { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 }
  return fakeApi({ all: active, snapshot: { counts, queue, active } })
}

describe('jobs saving their outputs while their workers start the next', () => {
  it('count apart from the jobs at work, so "running" is never more than "At once"', async () => {
    const fake = queueOfImages()
    const header = await mountWith(QueueHeader, fake)
    await flushPromises()
    const running = header.get('.badge.running')
    expect(running.text()).toMatch(/^2\s*running$/)
    expect(running.attributes('title')).toBe('And 2 saving their outputs')

    const list = await mountWith(JobList, fake)
    await flushPromises()
    expect(list.get('.group-counts').text()).toBe('2 running · 2 saving · 3 queued')
    expect(list.get('[data-job-id="1"] .badge').text()).toBe('saving')
    expect(list.get('[data-job-id="3"] .badge').text()).toBe('running')

    const done = { ...job(1, 'succeeded', 1) }
    const counts = { ...emptyCounts(), running: 3, queued: 3, succeeded: 1 }
    fake.push({
      seq: 1,
      events: [
        { type: 'succeeded', id: '1', job: done },
        { type: 'queue', queue: { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 } },
      ],
    })
    await flushPromises()
    expect(running.text()).toMatch(/^2\s*running$/)
    expect(running.attributes('title')).toBe('And 1 saving its output')
    expect(list.get('.group-counts').text()).toBe('2 running · 1 saving · 3 queued')
  })
})
