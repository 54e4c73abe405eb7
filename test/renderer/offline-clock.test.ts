// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../src/renderer/App.vue'
import { hostKey } from '../../src/renderer/stores/job-actions'
import { useJobsStore } from '../../src/renderer/stores/jobs-store'
import { emptyCounts } from '../../src/shared/job'
import { fakeApi, job } from './fake-api'

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('a dashboard that lost its connection', () => {
  it("stops counting a running job's time while it cannot know the job goes on, and counts again once back", async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setInterval', 'clearInterval'] })
    const running = { ...job(1, 'running', 0.5), startedAt: 1_000_000 - 5_000 }
    const counts = { ...emptyCounts(), running: 1 }
    const fake = fakeApi({
      all: [running],
      snapshot: { counts, active: [running], queue: { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 } },
    })
    let connection: (up: boolean) => void = () => {}
    const pinia = createPinia()
    setActivePinia(pinia)
    await useJobsStore().start(fake.api)
    const host = {
      api: fake.api,
      kind: 'web',
      onConnection: (listener: (up: boolean) => void) => {
        connection = listener
        return () => {}
      },
    }
    const app = mount(App, {
      attachTo: document.body,
      global: { plugins: [pinia], provide: { [hostKey as symbol]: host } },
    })
    await flushPromises()
    const elapsed = () =>
      app
        .get('#job-row-1')
        .findAll('[role="gridcell"]')
        .map((cell) => cell.text())
    vi.advanceTimersByTime(3_000)
    await flushPromises()
    expect(elapsed()).toContain('8 s')

    connection(false)
    vi.advanceTimersByTime(10_000)
    await flushPromises()
    expect(app.text()).toContain('Not connected')
    expect(elapsed()).toContain('8 s')

    connection(true)
    vi.advanceTimersByTime(1_000)
    await flushPromises()
    expect(elapsed()).toContain('19 s')
  })
})
