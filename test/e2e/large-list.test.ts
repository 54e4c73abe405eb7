import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ServeProcess } from '../web/serve-process'
import { openSocket, type TestSocket } from '../web/socket-client'
import { browserAvailable, launchChromium } from './support/browser'
import { shot } from './support/dashboard-page'
import { recordMainThreadTasks, type MainThreadTask } from './support/main-thread-tasks'

const enabled = browserAvailable()
const jobCount = 10_000
const finishedCount = 20
const runningCount = 2

interface Timings {
  firstRowAt: number | null
  longTasks: { start: number; duration: number }[]
}

/** Records when the first job row is painted and every long task, from before the page's own code runs. */
function instrument(): void {
  const timings: Timings = { firstRowAt: null, longTasks: [] }
  ;(window as unknown as { timings: Timings }).timings = timings
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-job-id]')) return
    observer.disconnect()
    requestAnimationFrame(() => (timings.firstRowAt = performance.now()))
  }).observe(document, { childList: true, subtree: true })
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) timings.longTasks.push({ start: entry.startTime, duration: entry.duration })
  }).observe({ type: 'longtask', buffered: true })
}

const timings = (page: Page) => page.evaluate(() => (window as unknown as { timings: Timings }).timings)
const takeLongTasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { timings: Timings }).timings.longTasks.splice(0).map((t) => t.duration))

async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function submit(socket: TestSocket, count: number, input: object, from: number): Promise<void> {
  const specs = Array.from({ length: count }, (_, i) => ({ kind: 'debug.sleep', label: `Bulk job ${from + i}`, input }))
  expect(await socket.call('submit', specs)).toMatchObject({ ok: true })
}

describe.skipIf(!enabled)(`a list of ${jobCount.toLocaleString('en')} jobs`, { timeout: 120_000 }, () => {
  let serve: ServeProcess
  let browser: Browser

  beforeAll(async () => {
    ;[serve, browser] = await Promise.all([startServe(), launchChromium()])
    const socket = await openSocket(serve.port, serve.token)
    // A few jobs that are done, two long ones that keep both workers busy, and a long queue behind them:
    // the list is what is measured, not the workers.
    expect(await socket.call('setConcurrency', runningCount)).toMatchObject({ ok: true })
    const counts = async () =>
      ((await socket.call('snapshot')) as { value: { counts: { succeeded: number; running: number } } }).value.counts
    await submit(socket, finishedCount, { ms: 0 }, 1)
    await until(async () => (await counts()).succeeded === finishedCount)
    // Both long jobs running before the queue behind them is added: a worker still starting would otherwise
    // run a few of the queued jobs while the second long one waits behind the first (see docs/reliability.md,
    // "Order").
    await submit(socket, runningCount, { ms: 120_000, steps: 240 }, finishedCount + 1)
    await until(async () => (await counts()).running === runningCount)
    await submit(socket, jobCount - finishedCount - runningCount, { ms: 0 }, finishedCount + runningCount + 1)
    socket.close()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    if (serve) expect(await serve.stop()).toBe(0)
  })

  it('paints the running jobs on top at once, loads the rest, and scrolls to the end keeping a screenful of rows', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } })
    await page.addInitScript(instrument)
    const tasks = await recordMainThreadTasks(page)
    await page.goto(serve.url)
    await page.waitForFunction(() => (window as unknown as { timings: Timings }).timings.firstRowAt !== null)
    const firstPaint = (await timings(page)).firstRowAt!
    await page.getByText(`${jobCount.toLocaleString('en')} shown`, { exact: true }).waitFor({ timeout: 30_000 })
    const allLoaded = await page.evaluate(() => performance.now())
    const loadTasks = await takeLongTasks(page)

    // The running jobs are the first rows, in view without scrolling, under the "Active" heading.
    const list = page.getByRole('grid', { name: 'Jobs' })
    const firstRows = await list
      .locator('[aria-rowindex="3"], [aria-rowindex="4"]')
      .evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-job-id'), row.getAttribute('data-state')]))
    // In the order they started, which the workers decide.
    expect(firstRows.sort()).toEqual([
      [String(finishedCount + 1), 'running'],
      [String(finishedCount + 2), 'running'],
    ])
    await expect
      .poll(() => list.getByRole('rowheader').first().innerText())
      .toMatch(/Active\s+2 running · 9,978 queued/)
    for (const id of [finishedCount + 1, finishedCount + 2]) {
      const box = (await page.locator(`[data-job-id="${id}"]`).boundingBox())!
      expect(box.y + box.height).toBeLessThan(760)
    }
    await shot(page, 'e2e-10k-top')
    const rowsAtTop = await list.locator('[data-job-id]').count()

    await tasks.mark('scrolling')
    await list.evaluate(async (element) => {
      const frames = 90
      const step = (element.scrollHeight - element.clientHeight) / frames
      for (let i = 0; i < frames; i++) {
        element.scrollTop += step
        await new Promise(requestAnimationFrame)
      }
      element.scrollTop = element.scrollHeight
    })
    // The end of the list: the finished jobs under their heading. The last grid row follows the column
    // headings, the two group headings and every job row before it.
    await list.locator(`[aria-rowindex="${jobCount + 3}"][data-state="succeeded"]`).waitFor()
    await list.getByRole('rowheader', { name: /Finished\s+20/ }).waitFor()
    const scrollTasks = await takeLongTasks(page)
    const traced = await tasks.stop()
    await shot(page, 'e2e-10k-bottom')
    const rowsAtBottom = await list.locator('[data-job-id]').count()
    await list.focus()
    await page.keyboard.press('Home')
    await page.locator(`[data-job-id="${finishedCount + 1}"]`).waitFor()

    const round = (ms: number) => Math.round(ms)
    const long = (list: MainThreadTask[]) => list.filter((task) => task.cpuMs > 50 || task.wallMs > 50)
    const listed = (list: MainThreadTask[]) =>
      list.map((task) => `${round(task.wallMs)}/${round(task.cpuMs)}`).join(', ')
    const loading = traced.start!
    const scrolling = traced.scrolling!
    console.log(
      `${jobCount} jobs: first rows painted ${round(firstPaint)} ms after navigation, all loaded at ${round(allLoaded)} ms;` +
        ` long tasks (PerformanceObserver, wall ms) while loading: [${loadTasks.map(round).join(', ')}],` +
        ` while scrolling: [${scrollTasks.map(round).join(', ')}];` +
        ` traced tasks over 50 ms (wall/CPU ms) while loading: [${listed(long(loading))}],` +
        ` while scrolling (${scrolling.length} tasks): [${listed(long(scrolling))}];` +
        ` job rows in the page: ${rowsAtTop} at the top, ${rowsAtBottom} at the end`,
    )
    // The figures above are printed for whoever reads the run; the time budgets themselves (first paint, no
    // task over 50 ms) are held by `npm run bench`, where a busy machine cannot fail the suite. What holds
    // here: the list is windowed, so however long it is, the page keeps only about a screenful of rows.
    expect(rowsAtTop).toBeLessThan(100)
    expect(rowsAtBottom).toBeLessThan(100)
    expect(scrolling.length).toBeGreaterThan(90)
  })
})
