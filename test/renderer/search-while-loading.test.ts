// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/App.vue'
import { hostKey } from '../../src/renderer/stores/job-actions'
import { useJobsStore } from '../../src/renderer/stores/jobs-store'
import { emptyCounts } from '../../src/shared/job'
import { fakeApi, job } from './fake-api'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('a filter while the list is still loading', () => {
  it('says how far the search got instead of "no match", and finds the job once its page arrives', async () => {
    const counts = { ...emptyCounts(), succeeded: 3 }
    const fake = fakeApi({
      all: [job(1, 'succeeded', 1), job(2, 'succeeded', 1), job(3, 'succeeded', 1)],
      snapshot: { counts, queue: { paused: false, concurrency: 2, counts, finishedBeforeRun: 0 } },
      pageSize: 1,
    })
    const answer = fake.api.list.getMockImplementation()!
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.api.list.mockImplementation(async (query) => {
      if (query?.cursor !== undefined) await held
      return answer(query)
    })
    const pinia = createPinia()
    setActivePinia(pinia)
    const store = useJobsStore()
    store.filter.text = 'Job 3'
    const started = store.start(fake.api)
    const app = mount(App, {
      attachTo: document.body,
      global: { plugins: [pinia], provide: { [hostKey as symbol]: { api: fake.api, kind: 'web' } } },
    })
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(app.text()).toContain('Searching… 1 of 3 jobs checked')
    expect(app.text()).not.toContain('No job matches')

    release()
    await started
    await flushPromises()
    expect(app.text()).toContain('Job 3')
    store.filter.text = 'nothing like it'
    await flushPromises()
    expect(app.text()).toContain('No job matches these filters')
    app.unmount()
  })
})
