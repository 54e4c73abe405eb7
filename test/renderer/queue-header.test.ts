// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import QueueHeader from '../../src/renderer/components/QueueHeader.vue'
import { useToastStore } from '../../src/renderer/stores/toast-store'
import { emptyCounts } from '../../src/shared/job'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('queue header', () => {
  it('the queue header shows counts and pauses the queue', async () => {
    const counts = { ...emptyCounts(), queued: 5, running: 2, succeeded: 1 }
    const fake = fakeApi({
      snapshot: { counts, queue: { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 } },
    })
    const header = await mountWith(QueueHeader, fake)
    expect(header.text()).toMatch(/5\s*queued/)
    expect(header.text()).toMatch(/2\s*running/)
    await header.get('button[title^="Running jobs finish"]').trigger('click')
    await flushPromises()
    expect(fake.api.pause).toHaveBeenCalled()
    expect(header.text()).toContain('Resume')
  })

  it('the whole-queue count starts where the engine says the run began, whenever the window opened', async () => {
    const counts = { ...emptyCounts(), queued: 2, succeeded: 3 }
    const fake = fakeApi({
      snapshot: { counts, queue: { paused: false, concurrency: 2, counts, finishedBeforeRun: 1 } },
    })
    const header = await mountWith(QueueHeader, fake)
    expect(header.get('.summary').text()).toBe('2 of 4 finished · 50%')
  })

  it('a run that ends with most jobs cancelled says so, not "done"', async () => {
    const counts = { ...emptyCounts(), succeeded: 30, failed: 3, cancelled: 271 }
    const queue = { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 }
    const header = await mountWith(QueueHeader, fakeApi({ snapshot: { counts, queue } }))
    expect(header.get('.summary').text()).toBe('Finished: 30 succeeded, 3 failed, 271 cancelled')
  })

  it('a run after others says how its own jobs ended, not the totals of every run', async () => {
    const counts = { ...emptyCounts(), succeeded: 540, failed: 12, cancelled: 3 }
    const runEnded = { succeeded: 48, failed: 2, cancelled: 0 }
    const queue = { paused: false, concurrency: 2, counts, finishedBeforeRun: 505, runEnded }
    const header = await mountWith(QueueHeader, fakeApi({ snapshot: { counts, queue } }))
    expect(header.get('.summary').text()).toBe('Finished: 48 succeeded, 2 failed')
  })

  it('a run under way names its failed and cancelled jobs beside how far it is', async () => {
    const counts = { ...emptyCounts(), queued: 6, succeeded: 4, failed: 2, cancelled: 1 }
    const queue = { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 }
    const fake = fakeApi({ snapshot: { counts, queue } })
    const header = await mountWith(QueueHeader, fake)
    expect(header.get('.summary').text()).toMatch(/^7 of 13 finished \(2 failed, 1 cancelled\) · 53%/)
    const allWell = { ...emptyCounts(), succeeded: 13 }
    fake.push({ seq: 1, events: [{ type: 'queue', queue: { ...queue, counts: allWell } }] })
    await flushPromises()
    expect(header.get('.summary').text()).toBe('All 13 succeeded')
  })

  it('a state with no jobs reads quietly, in the colours of none, and takes its colour once it has some', async () => {
    const counts = { ...emptyCounts(), succeeded: 3 }
    const queue = { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 }
    const fake = fakeApi({ snapshot: { counts, queue } })
    const header = await mountWith(QueueHeader, fake)
    const quiet = () => header.findAll('.counts .none').map((badge) => badge.text())
    expect(quiet()).toEqual(['0 queued', '0 running', '0 failed', '0 cancelled'])
    fake.push({ seq: 1, events: [{ type: 'queue', queue: { ...queue, counts: { ...counts, failed: 1 } } }] })
    await flushPromises()
    expect(quiet()).toEqual(['0 queued', '0 running', '0 cancelled'])
    expect(header.get('.counts .failed').classes()).not.toContain('none')
  })

  it('the window title tells how far the run is, paused or not, and goes back to "Spool" when the queue is done', async () => {
    const counts = { ...emptyCounts(), queued: 290, running: 2, succeeded: 8 }
    const queue = { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 }
    const fake = fakeApi({ snapshot: { counts, queue, active: [job(9, 'running', 0.5), job(10, 'running', 0.5)] } })
    await mountWith(QueueHeader, fake)
    expect(document.title).toBe('3% · 8 of 300 — Spool')

    fake.push({ seq: 1, events: [{ type: 'queue', queue: { ...queue, paused: true } }] })
    await flushPromises()
    expect(document.title).toBe('Paused · 8 of 300 — Spool')

    const done = { ...emptyCounts(), succeeded: 300 }
    fake.push({ seq: 2, events: [{ type: 'queue', queue: { ...queue, counts: done } }] })
    await flushPromises()
    expect(document.title).toBe('Spool')
  })

  it('"At once" refuses a number the queue cannot run with, says why, and shows the number in force again', async () => {
    const fake = fakeApi()
    const header = await mountWith(QueueHeader, fake)
    const field = header.get<HTMLInputElement>('.concurrency input')
    for (const typed of ['0', '99999', '2.5', '']) {
      await field.setValue(typed)
      expect(field.element.value).toBe('2')
    }
    expect(fake.api.setConcurrency).not.toHaveBeenCalled()
    // Said once, however often it was refused.
    expect(useToastStore().toasts.map((toast) => toast.text)).toEqual([
      '“At once” takes a whole number from 1 to 64; it stays at 2.',
    ])
    await field.setValue('3')
    await flushPromises()
    expect(fake.api.setConcurrency).toHaveBeenCalledWith(3)
    expect(field.element.value).toBe('3')
  })

  it('clearing finished jobs asks first, in place: Keep and Escape back out, Clear removes them', async () => {
    const counts = { ...emptyCounts(), succeeded: 2, failed: 1 }
    const all = [job(1, 'succeeded'), job(2, 'succeeded'), job(3, 'failed')]
    const fake = fakeApi({
      all,
      snapshot: { counts, queue: { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 } },
    })
    const header = await mountWith(QueueHeader, fake)
    const clear = () => header.get('button[title^="Remove succeeded, failed and cancelled"]')
    const question = () => header.find('[role="group"][aria-label="Remove 3 finished jobs from the list?"]')

    await clear().trigger('click')
    expect(question().exists()).toBe(true)
    expect(document.activeElement?.textContent).toBe('Clear')
    await question()
      .findAll('button')
      .find((button) => button.text() === 'Keep')!
      .trigger('click')
    await flushPromises()
    expect(question().exists()).toBe(false)
    expect(document.activeElement).toBe(clear().element)

    await clear().trigger('click')
    await question().trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(question().exists()).toBe(false)
    expect(fake.api.remove).not.toHaveBeenCalled()

    await clear().trigger('click')
    await question()
      .findAll('button')
      .find((button) => button.text() === 'Clear')!
      .trigger('click')
    await flushPromises()
    expect(fake.api.remove).toHaveBeenCalledWith({ ids: expect.arrayContaining(['1', '2', '3']) })
  })

  it('"Stop after current" asks before cancelling every waiting job', async () => {
    const counts = { ...emptyCounts(), queued: 4, running: 1 }
    const all = [job(1, 'running'), job(2, 'queued'), job(3, 'queued'), job(4, 'queued'), job(5, 'queued')]
    const fake = fakeApi({
      all,
      snapshot: { counts, queue: { paused: false, concurrency: 1, counts, finishedBeforeRun: 0 } },
    })
    const header = await mountWith(QueueHeader, fake)
    await header.get('button[title^="Let running jobs finish"]').trigger('click')
    expect(fake.api.cancel).not.toHaveBeenCalled()
    const group = header.get('[role="group"][aria-label="Cancel 4 waiting jobs?"]')
    await group
      .findAll('button')
      .find((button) => button.text() === 'Cancel them')!
      .trigger('click')
    await flushPromises()
    expect(fake.api.cancel).toHaveBeenCalledWith({ ids: expect.arrayContaining(['2', '3', '4', '5']) })
    expect(fake.api.cancel).not.toHaveBeenCalledWith({ ids: expect.arrayContaining(['1']) })
  })
})
