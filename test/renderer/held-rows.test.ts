// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import JobList from '../../src/renderer/components/JobList.vue'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

async function listWithThreeQueued() {
  const all = [job(1), job(2), job(3)]
  const fake = fakeApi({ all, snapshot: { active: all } })
  const list = await mountWith(JobList, fake)
  const order = () =>
    list
      .findAll('[data-job-id]')
      .sort((a, b) => Number(a.attributes('aria-rowindex')) - Number(b.attributes('aria-rowindex')))
      .map((row) => `${row.attributes('data-job-id')} ${row.attributes('data-state')}`)
  const cancel = async (id: number, seq: number) => {
    fake.push({ seq, events: [{ type: 'cancelled', id: String(id), job: { ...job(id, 'cancelled') } }] })
    await nextTick()
  }
  return { list, order, cancel }
}

describe('rows under the pointer', () => {
  it('stay where they are while the pointer moves over the list, so the next click hits the job aimed at', async () => {
    const { list, order, cancel } = await listWithThreeQueued()
    vi.useFakeTimers()
    await list.get('[role="grid"]').trigger('pointermove')
    await cancel(1, 1)
    // Job 1 shows its new state in its own row; job 2 did not slide up under the pointer.
    expect(order()).toEqual(['1 cancelled', '2 queued', '3 queued'])
    expect(list.text()).toContain('0 running · 2 queued')
    await list.get('[role="grid"]').trigger('pointermove')
    await vi.advanceTimersByTimeAsync(1000)
    expect(order()).toEqual(['1 cancelled', '2 queued', '3 queued'])
    // The pointer rests: the list catches up.
    await vi.advanceTimersByTimeAsync(600)
    expect(order()).toEqual(['2 queued', '3 queued', '1 cancelled'])
  })

  it('catch up at once when the pointer leaves the list, and never wait when it is elsewhere', async () => {
    const { list, order, cancel } = await listWithThreeQueued()
    await cancel(1, 1)
    expect(order()).toEqual(['2 queued', '3 queued', '1 cancelled'])
    await list.get('[role="grid"]').trigger('pointermove')
    await cancel(2, 2)
    expect(order()).toEqual(['2 cancelled', '3 queued', '1 cancelled'])
    await list.get('[role="grid"]').trigger('pointerleave')
    expect(order()).toEqual(['3 queued', '2 cancelled', '1 cancelled'])
  })
})
