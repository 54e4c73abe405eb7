// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/App.vue'
import NewJobDialog from '../../src/renderer/components/NewJobDialog.vue'
import { detectHost } from '../../src/renderer/api/host'
import { useSelectionStore } from '../../src/renderer/stores/selection-store'
import type { DesktopEvents } from '../../src/shared/ipc-channels'
import { fakeApi, hashKind, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

function fakeDesktopEvents() {
  const selectJob = new Set<(id: string) => void>()
  const filesOpened = new Set<(paths: string[]) => void>()
  const events: DesktopEvents = {
    onSelectJob: (listener) => (selectJob.add(listener), () => selectJob.delete(listener)),
    onFilesOpened: (listener) => (filesOpened.add(listener), () => filesOpened.delete(listener)),
  }
  return { events, selectJob, filesOpened }
}

describe('what the desktop shell pushes to a window', () => {
  it('a clicked notification opens its job; files opened with Spool open the New job dialog with them', async () => {
    const fake = fakeApi({ all: [job(3, 'succeeded', 1)] })
    fake.api.kinds.mockResolvedValue([hashKind])
    const desktop = fakeDesktopEvents()
    const app = await mountWith(App, fake, {}, { desktopEvents: desktop.events })
    await flushPromises()
    for (const listener of desktop.selectJob) listener('3')
    await flushPromises()
    expect(useSelectionStore().detailsId).toBe('3')
    for (const listener of desktop.filesOpened) listener(['/home/me/clip.mov'])
    await flushPromises()
    expect(app.findComponent(NewJobDialog).props('files')).toEqual(['/home/me/clip.mov'])
    // More files while the form is open join those in it; none is lost or listed twice.
    for (const listener of desktop.filesOpened) listener(['/home/me/song.flac', '/home/me/clip.mov'])
    await flushPromises()
    const listed = app.findAll('.files li code').map((code) => code.text())
    expect(listed).toEqual(['/home/me/clip.mov', '/home/me/song.flac'])
    app.unmount()
    expect(desktop.selectJob.size + desktop.filesOpened.size).toBe(0)
  })

  it('the preload API exposes them and the host picks them up', () => {
    const desktop = fakeDesktopEvents()
    const spool = { ...fakeApi().api, pickFiles: async () => [], ...desktop.events }
    const host = detectHost({ spool, location: { search: '', host: '' } } as never)
    expect(host.kind).toBe('desktop')
    expect(host.desktopEvents).toBe(spool)
  })
})

describe('the connection to the web host', () => {
  it('says when it is lost and what to do, and stops saying so when it is back', async () => {
    const listeners = new Set<(connected: boolean) => void>()
    const onConnection = (listener: (connected: boolean) => void) => (
      listeners.add(listener),
      () => listeners.delete(listener)
    )
    const app = await mountWith(App, fakeApi(), {}, { onConnection })
    const banner = () => app.find('[role="status"].offline')
    expect(banner().exists()).toBe(false)
    listeners.forEach((listener) => listener(false))
    await flushPromises()
    expect(banner().text()).toMatch(/Not connected — showing the state at \d{1,2}:\d{2}.*open the new address/s)
    listeners.forEach((listener) => listener(true))
    await flushPromises()
    expect(banner().exists()).toBe(false)
    app.unmount()
    expect(listeners.size).toBe(0)
  })
})

describe('how the host started', () => {
  const notice = 'The database could not be read (it is damaged); it was kept as /data/spool.db.unreadable-1 …'

  it('a browser shows what the host says the user must know, until it is dismissed', async () => {
    const app = await mountWith(App, fakeApi({ snapshot: { notice } }))
    await flushPromises()
    const banner = () => app.find('.notice[role="alert"]')
    expect(banner().text()).toContain(notice)
    await banner().get('button[aria-label="Dismiss"]').trigger('click')
    expect(banner().exists()).toBe(false)
  })

  it('the desktop app says it in a dialog as it starts, not again in every window', async () => {
    const desktop = { pickFiles: async () => [] } as never
    const app = await mountWith(App, fakeApi({ snapshot: { notice } }), {}, { desktop })
    await flushPromises()
    expect(app.find('.notice').exists()).toBe(false)
  })
})
