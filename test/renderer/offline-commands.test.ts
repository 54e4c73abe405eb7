// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/App.vue'
import NewJobDialog from '../../src/renderer/components/NewJobDialog.vue'
import { offlineReason, useConnectionStore } from '../../src/renderer/stores/connection-store'
import { useSelectionStore } from '../../src/renderer/stores/selection-store'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

const commandButtons = [
  'button[aria-label="Cancel Job 1"]',
  'button[aria-label="Retry Job 2"]',
  'button[aria-label="Remove Job 2"]',
  'button[aria-label="Remove Job 3"]',
]

describe('while the connection to the host is lost', () => {
  it('buttons that send commands are disabled and say why, and come back when the connection does', async () => {
    const listeners = new Set<(connected: boolean) => void>()
    const onConnection = (listener: (connected: boolean) => void) => (
      listeners.add(listener),
      () => listeners.delete(listener)
    )
    const all = [job(1), job(2, 'failed'), job(3, 'succeeded')]
    const counts = { queued: 1, running: 0, succeeded: 1, failed: 1, cancelled: 0 }
    const fake = fakeApi({
      all,
      snapshot: {
        active: [all[0]!],
        recent: all.slice(1),
        counts,
        queue: { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 },
      },
    })
    const app = await mountWith(App, fake, {}, { onConnection })
    useSelectionStore().set(['1', '2'])
    await flushPromises()
    const header = ['Pause', 'Stop after current', 'Clear finished'].map((name) =>
      app.findAll('header button').find((button) => button.text() === name),
    )
    const bulk = app.findAll('[role="toolbar"] button').filter((button) => button.text() !== 'Clear selection')
    const controls = () => [
      ...commandButtons.map((selector) => app.get<HTMLButtonElement>(selector).element),
      ...header.map((button) => button!.element as HTMLButtonElement),
      ...bulk.map((button) => button.element as HTMLButtonElement),
      app.get<HTMLInputElement>('.concurrency input').element,
    ]
    expect(bulk.map((button) => button.text())).toEqual(['Cancel', 'Retry', 'Remove'])
    expect(controls().filter((control) => control.disabled)).toEqual([])

    listeners.forEach((listener) => listener(false))
    await flushPromises()
    expect(controls().every((control) => control.disabled && control.title === offlineReason)).toBe(true)
    // The rest of the page still works: filters, the selection, opening details.
    expect(app.get<HTMLButtonElement>('[role="toolbar"] button.quiet').element.disabled).toBe(false)

    listeners.forEach((listener) => listener(true))
    await flushPromises()
    expect(controls().filter((control) => control.disabled)).toEqual([])
    expect(app.get('button[aria-label="Remove Job 2"]').attributes('title')).toBe('Remove from the list')
    await app.get('button[aria-label="Cancel Job 1"]').trigger('click')
    expect(fake.api.cancel).toHaveBeenCalledWith({ ids: ['1'] })
  })

  it('the New job form cannot be submitted, and says why', async () => {
    const fake = fakeApi()
    const dialog = await mountWith(NewJobDialog, fake, { files: [] })
    await flushPromises()
    await dialog.get('#new-job-ms').setValue('250')
    useConnectionStore().connected = false
    await flushPromises()
    const submit = dialog.get<HTMLButtonElement>('button[type="submit"]')
    expect(submit.element.disabled).toBe(true)
    expect(submit.attributes('title')).toBe(offlineReason)
    await dialog.get('form').trigger('submit')
    expect(fake.api.submit).not.toHaveBeenCalled()
    expect(dialog.get('[role="alert"]').text()).toBe(offlineReason)
  })
})
