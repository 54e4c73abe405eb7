import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ServeProcess } from '../web/serve-process'
import { openSocket } from '../web/socket-client'
import { browserAvailable, launchChromium } from './support/browser'
import { shot } from './support/dashboard-page'

const enabled = browserAvailable()
const jobCount = 10_000

/** Records when the first job row is painted and every long task, from before the page's own code runs. */
function instrument(): void {
  const w = window as unknown as { firstRowAt: number | null; longTasks: number[] }
  w.firstRowAt = null
  w.longTasks = []
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-job-id]')) return
    observer.disconnect()
    requestAnimationFrame(() => (w.firstRowAt = performance.now()))
  }).observe(document, { childList: true, subtree: true })
  new PerformanceObserver((list) => w.longTasks.push(...list.getEntries().map((entry) => entry.duration))).observe({
    type: 'longtask',
    buffered: true,
  })
}

describe.skipIf(!enabled)(`a list of ${jobCount.toLocaleString('en')} jobs`, { timeout: 120_000 }, () => {
  let serve: ServeProcess
  let browser: Browser

  beforeAll(async () => {
    ;[serve, browser] = await Promise.all([startServe(), launchChromium()])
    const socket = await openSocket(serve.port, serve.token)
    // Paused, so the jobs stay queued and the list is what is measured, not the workers.
    await socket.call('pause')
    const specs = Array.from({ length: jobCount }, (_, i) => ({
      kind: 'debug.sleep',
      label: `Bulk job ${i + 1}`,
      input: { ms: 0 },
    }))
    expect(await socket.call('submit', specs)).toMatchObject({ ok: true })
    socket.close()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    if (serve) expect(await serve.stop()).toBe(0)
  })

  it('paints the first rows at once, loads them all, and scrolls to the end without long tasks', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } })
    await page.addInitScript(instrument)
    await page.goto(serve.url)
    await page.waitForFunction(() => (window as unknown as { firstRowAt: number | null }).firstRowAt !== null)
    const firstPaint = await page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt)
    await page.getByText(`${jobCount.toLocaleString('en')} shown`, { exact: true }).waitFor({ timeout: 30_000 })
    const allLoaded = await page.evaluate(() => performance.now())
    const loadTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0))
    await shot(page, 'e2e-10k-top')

    const list = page.getByRole('grid', { name: 'Jobs' })
    await list.evaluate(async (element) => {
      const frames = 90
      const step = (element.scrollHeight - element.clientHeight) / frames
      for (let i = 0; i < frames; i++) {
        element.scrollTop += step
        await new Promise(requestAnimationFrame)
      }
    })
    await page.locator('[data-job-id="1"]').waitFor()
    const scrollTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0))
    await shot(page, 'e2e-10k-bottom')
    await list.focus()
    await page.keyboard.press('Home')
    await page.locator(`[data-job-id="${jobCount}"]`).waitFor()

    const round = (ms: number) => Math.round(ms)
    console.log(
      `${jobCount} jobs: first rows painted ${round(firstPaint)} ms after navigation, all loaded at ${round(allLoaded)} ms;` +
        ` long tasks while loading: [${loadTasks.map(round).join(', ')}] ms, while scrolling: [${scrollTasks.map(round).join(', ')}] ms`,
    )
    // Generous bounds: these machines are shared; the figures above are what to compare.
    expect(firstPaint).toBeLessThan(3000)
    expect(Math.max(0, ...scrollTasks)).toBeLessThan(200)
  })
})
