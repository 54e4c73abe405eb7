import { describe, expect, it } from 'vitest'
import { browserAvailable } from './support/browser'
import { useDashboardHost } from './support/dashboard-host'
import { fillNewJob, row, submitNewJob } from './support/dashboard-page'

const enabled = browserAvailable()
const patience = { timeout: 20_000 }

interface Recorded {
  title: string
  body?: string
  onclick: (() => void) | null
}
type Recording = Window & { notices: Recorded[]; asked: number; hidden: boolean }

/** The page's Notification, recording what it is asked and shown; the tab hidden when `hidden` says. */
function recordNotifications(): void {
  const win = window as unknown as Recording
  win.notices = []
  win.asked = 0
  win.hidden = false
  Object.defineProperty(document, 'visibilityState', { get: () => (win.hidden ? 'hidden' : 'visible') })
  class Recorder {
    static permission = 'default'
    static async requestPermission() {
      win.asked++
      Recorder.permission = 'granted'
      return 'granted'
    }
    onclick: (() => void) | null = null
    body?: string
    constructor(
      readonly title: string,
      options?: { body?: string },
    ) {
      this.body = options?.body
      win.notices.push(this)
    }
    close() {}
  }
  Object.defineProperty(window, 'Notification', { value: Recorder })
}

describe.skipIf(!enabled)('the dashboard’s notifications in a browser tab', { timeout: 60_000 }, () => {
  const dashboard = useDashboardHost()

  it('asks leave at the first submit; hidden, the tab tells when the run is done, and a click opens the job', async () => {
    const { page } = dashboard
    await page.addInitScript(recordNotifications)
    await page.reload()
    await page.getByText('No jobs yet').waitFor()
    const recorded = () =>
      page.evaluate(() => {
        const win = window as unknown as Recording
        return { asked: win.asked, notices: win.notices.map(({ title, body }) => ({ title, body })) }
      })

    await fillNewJob(page, 'debug.sleep', { ms: '1500' })
    await submitNewJob(page)
    await page.evaluate(() => ((window as unknown as Recording).hidden = true))
    await expect.poll(() => row(page, '1').getAttribute('data-state'), patience).toBe('succeeded')
    await expect
      .poll(recorded, patience)
      .toEqual({ asked: 1, notices: [{ title: 'Job finished', body: expect.stringContaining('Sleep') }] })

    await page.evaluate(() => (window as unknown as Recording).notices[0]!.onclick!())
    await expect.poll(() => page.getByRole('complementary').innerText(), patience).toContain('#1')

    // In front, the header says it: nothing more is shown; and the leave given is not asked again.
    await page.evaluate(() => ((window as unknown as Recording).hidden = false))
    await fillNewJob(page, 'debug.sleep', { ms: '0' })
    await submitNewJob(page)
    await expect.poll(() => row(page, '2').getAttribute('data-state'), patience).toBe('succeeded')
    await page.waitForTimeout(2_000)
    expect(await recorded()).toEqual({ asked: 1, notices: [expect.anything()] })
  })
  it('turned off in the header, ask and tell nothing, and stay off in the next page', async () => {
    const { page } = dashboard
    await page.addInitScript(recordNotifications)
    await page.reload()
    await row(page, '2').waitFor()
    const toggle = page.getByRole('checkbox', { name: 'Notify when done' })
    expect(await toggle.isChecked()).toBe(true)
    await toggle.uncheck()
    await expect.poll(() => toggle.isChecked(), patience).toBe(false)

    await fillNewJob(page, 'debug.sleep', { ms: '1000' })
    await submitNewJob(page)
    await page.evaluate(() => ((window as unknown as Recording).hidden = true))
    await expect.poll(() => row(page, '3').getAttribute('data-state'), patience).toBe('succeeded')
    await page.waitForTimeout(2_000)
    const recorded = await page.evaluate(() => {
      const win = window as unknown as Recording
      return { asked: win.asked, notices: win.notices.length }
    })
    expect(recorded).toEqual({ asked: 0, notices: 0 })

    await page.reload()
    await row(page, '3').waitFor()
    expect(await page.getByRole('checkbox', { name: 'Notify when done' }).isChecked()).toBe(false)
  })
})
