import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { openSpool } from '../src/main/jobs'
import { ensureDashboardBuilt } from '../src/main/web/dashboard-build'
import { startWebHost } from '../src/main/web/web-host'
import { benchSpoolOptions } from './bench-spool'
import { copyDatabase } from './fixture-db'
import { mainThreadTasks, type MainThreadTask } from './main-thread-trace'

export const chromiumPath = process.env.SPOOL_CHROMIUM ?? '/usr/bin/chromium'

export interface PaintFigures {
  /** From navigation start to the first job rows painted. */
  firstRowsMs: number
  /** When every job had been loaded into the list. */
  allLoadedMs: number
  /** Long tasks (ms) while the list loaded, and while it was scrolled top to bottom over 90 frames. */
  loadLongTasks: number[]
  scrollLongTasks: number[]
  /** Every main-thread task while scrolling, from a trace: wall and CPU time. */
  scrollTasks: MainThreadTask[]
}

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

async function paintOnce(browser: Browser, url: string, jobs: number): Promise<PaintFigures> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } })
  try {
    await page.addInitScript(instrument)
    await page.goto(url)
    await page.waitForFunction(() => (window as unknown as { firstRowAt: number | null }).firstRowAt !== null)
    const firstRowsMs = await page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt)
    await page.getByText(`${jobs.toLocaleString('en')} shown`, { exact: true }).waitFor({ timeout: 120_000 })
    const allLoadedMs = await page.evaluate(() => performance.now())
    const longTasks = () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0))
    const loadLongTasks = await longTasks()
    const scrollTasks = await mainThreadTasks(page, async () => {
      await page.getByRole('grid', { name: 'Jobs' }).evaluate(async (element) => {
        const frames = 90
        const step = (element.scrollHeight - element.clientHeight) / frames
        for (let i = 0; i < frames; i++) {
          element.scrollTop += step
          await new Promise(requestAnimationFrame)
        }
      })
    })
    return { firstRowsMs, allLoadedMs, loadLongTasks, scrollLongTasks: await longTasks(), scrollTasks }
  } finally {
    await page.close()
  }
}

/**
 * Serves a database of `jobs` jobs with the web host and opens the dashboard in Chromium `rounds` times, each
 * in a fresh page. Answers null when Chromium is missing. The dashboard is built first if it is stale.
 */
export async function dashboardPaint(database: string, jobs: number, rounds: number): Promise<PaintFigures[]> {
  const built = performance.now()
  await ensureDashboardBuilt()
  const buildMs = performance.now() - built
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-dashboard-'))
  copyDatabase(database, dataDir)
  const spool = await openSpool(benchSpoolOptions(dataDir, { roots: [dataDir] }))
  const host = await startWebHost({ spool, roots: [dataDir] })
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
  try {
    if (buildMs > 1000) console.log(`(the dashboard was built first: ${(buildMs / 1000).toFixed(1)} s, not counted)`)
    const figures: PaintFigures[] = []
    for (let round = 0; round < rounds; round++) figures.push(await paintOnce(browser, host.url, jobs))
    return figures
  } finally {
    await browser.close()
    await host.close()
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
