// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/App.vue'
import { emptyCounts } from '../../src/shared/job'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('a dashboard that cannot reach its host', () => {
  it('shows running jobs and the time left as last known, not as work going on, and live again once back', async () => {
    const running = {
      ...job(1, 'running', 0.4),
      progress: { fraction: 0.4, rate: 3, unit: 'files', etaMs: 90_000 },
    }
    const counts = { ...emptyCounts(), running: 1, queued: 1 }
    const fake = fakeApi({
      all: [running, job(2)],
      snapshot: {
        counts,
        active: [running, job(2)],
        queue: { paused: false, concurrency: 1, counts, finishedBeforeRun: 0 },
      },
    })
    const listeners = new Set<(connected: boolean) => void>()
    const onConnection = (listener: (connected: boolean) => void) => (
      listeners.add(listener),
      () => listeners.delete(listener)
    )
    const app = await mountWith(App, fake, {}, { onConnection })
    const row = () => app.get('#job-row-1')
    const badge = () => row().get('.badge')
    const cells = () =>
      row()
        .findAll('[role="gridcell"]')
        .map((cell) => cell.text())
    const summary = () => app.get('.summary').text()
    const runningCount = () => app.get('.counts .badge.running')
    const bars = () => app.findAll('[role="progressbar"]').map((bar) => bar.classes())
    const live = async () => {
      expect(badge().classes()).not.toContain('stale')
      expect(cells()).toContain('3.0 files/s')
      expect(cells()).toContain('1 min 30 s')
      expect(summary()).toMatch(/left$/)
      expect(runningCount().classes()).not.toContain('stale')
      expect(bars().some((classes) => classes.includes('stale'))).toBe(false)
    }
    await live()

    listeners.forEach((listener) => listener(false))
    await flushPromises()
    expect(app.get('[role="status"].offline').text()).toMatch(
      /^Not connected — showing the state at \d{1,2}:\d{2}[^.]*\./,
    )
    expect(badge().text()).toBe('running')
    expect(badge().classes()).toContain('stale')
    expect(badge().attributes('title')).toMatch(/Last known state/)
    expect(cells()).not.toContain('3.0 files/s')
    expect(cells()).not.toContain('1 min 30 s')
    expect(summary()).toMatch(/· time left unknown$/)
    // The header's count of running jobs is a last known figure too.
    expect(runningCount().classes()).toContain('stale')
    expect(summary()).not.toMatch(/about .* left/)
    // The job's bar and the whole queue's stand still, grey.
    expect(bars().filter((classes) => classes.includes('stale'))).toHaveLength(2)

    listeners.forEach((listener) => listener(true))
    await flushPromises()
    await live()
  })
})
