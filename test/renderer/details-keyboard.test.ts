// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/App.vue'
import JobDetails from '../../src/renderer/components/JobDetails.vue'
import JobList from '../../src/renderer/components/JobList.vue'
import { useSelectionStore } from '../../src/renderer/stores/selection-store'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('job details from the keyboard', () => {
  it('Retry keeps focus in the panel, on its heading, when the job leaves the state its button was for', async () => {
    const failed = job(4, 'failed')
    const fake = fakeApi({ all: [failed], snapshot: { recent: [failed] } })
    const details = await mountWith(JobDetails, fake, { id: '4' })
    await flushPromises()
    const retry = details.get<HTMLButtonElement>('button[aria-label="Retry Job 4"]')
    retry.element.focus()
    await retry.trigger('click')
    fake.push({ seq: 1, events: [{ type: 'added', id: '4', job: job(4, 'queued') }] })
    await flushPromises()
    expect(details.find('button[aria-label="Retry Job 4"]').exists()).toBe(false)
    expect(document.activeElement).toBe(details.get('h2').element)
  })

  it('Cancel pressed from the keyboard keeps focus as it turns into Stopping…, and Enter on it again does nothing', async () => {
    const running = job(4, 'running')
    const fake = fakeApi({ all: [running], snapshot: { active: [running] } })
    const details = await mountWith(JobDetails, fake, { id: '4' })
    await flushPromises()
    const cancel = details.get<HTMLButtonElement>('button[aria-label="Cancel Job 4"]')
    cancel.element.focus()
    await cancel.trigger('click')
    fake.push({ seq: 1, events: [{ type: 'stopping', id: '4', job: { ...running, stopping: true } }] })
    await flushPromises()
    const stopping = details.get<HTMLButtonElement>('button[aria-label="Stopping… Job 4"]')
    expect(document.activeElement).toBe(stopping.element)
    await stopping.trigger('click')
    expect(fake.api.cancel).toHaveBeenCalledTimes(1)
  })

  it('Escape in the panel closes it', async () => {
    const details = await mountWith(JobDetails, fakeApi({ all: [job(4)], snapshot: { active: [job(4)] } }), {
      id: '4',
    })
    await details.get('aside').trigger('keydown', { key: 'Escape' })
    expect(details.emitted('close')).toHaveLength(1)
  })

  it('Escape in the list closes the details before it lets go of the selection', async () => {
    const all = [job(1), job(2)]
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { active: all } }))
    const selection = useSelectionStore()
    const grid = list.get('[role="grid"]')
    await grid.trigger('keydown', { key: 'ArrowDown' })
    await grid.trigger('keydown', { key: ' ' })
    await grid.trigger('keydown', { key: 'Enter' })
    expect(selection.detailsId).toBe('1')
    await grid.trigger('keydown', { key: 'Escape' })
    expect(selection.detailsId).toBeNull()
    expect(selection.count).toBe(1)
    await grid.trigger('keydown', { key: 'Escape' })
    expect(selection.count).toBe(0)
  })

  it('closing the details puts focus back on the list, not on the top of the page', async () => {
    const all = [job(1), job(2)]
    const app = await mountWith(App, fakeApi({ all, snapshot: { active: all } }))
    useSelectionStore().detailsId = '2'
    await flushPromises()
    await app.get('button[aria-label="Close details"]').trigger('click')
    expect(app.find('aside').exists()).toBe(false)
    expect(document.activeElement).toBe(app.get('[role="grid"]').element)
  })
})
