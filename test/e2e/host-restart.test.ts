import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ServeProcess } from '../web/serve-process'
import { browserAvailable, launchChromium } from './support/browser'
import { fillNewJob, row, shot, submitNewJob } from './support/dashboard-page'

const enabled = browserAvailable()
const patience = { timeout: 20_000 }

describe.skipIf(!enabled)(
  'a dashboard left open while its host is stopped and started again',
  { timeout: 90_000 },
  () => {
    let serve: ServeProcess
    let browser: Browser
    let page: Page
    // The host's data folder, kept across its two runs.
    const folder = mkdtempSync(join(tmpdir(), 'spool-restart-'))

    beforeAll(async () => {
      ;[serve, browser] = await Promise.all([startServe([], {}, folder), launchChromium()])
      page = await browser.newPage({ colorScheme: 'light', viewport: { width: 1280, height: 760 } })
      await page.goto(serve.url)
      await page.getByText('No jobs yet').waitFor()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      await serve?.stop()
      rmSync(folder, { recursive: true, force: true })
    })

    it('says the host is gone, then comes back by itself and shows the interrupted job running again', async () => {
      await fillNewJob(page, 'debug.sleep', { ms: '60000', steps: '600' })
      await submitNewJob(page)
      const job = row(page, '1')
      await expect.poll(() => job.getAttribute('data-state'), patience).toBe('running')

      const first = serve
      expect(await first.stop('SIGINT')).toBe(0)
      expect(first.stderr()).toContain('1 running job goes back to the queue')
      const offline = page.getByRole('status').filter({ hasText: 'Not connected — showing the state at' })
      await offline.waitFor(patience)
      // What is shown is the last known state: the running job and the time left do not look like work going on.
      await expect.poll(() => job.locator('.badge').getAttribute('class'), patience).toContain('stale')
      expect(await page.locator('.summary').innerText()).toMatch(/time left unknown$/)
      await shot(page, 'e2e-host-stopped')

      serve = await startServe([], {}, folder)
      expect(serve.url).toBe(first.url)
      // No reload: the page reconnects to the address it was opened with and takes the queue as it is now.
      await offline.waitFor({ state: 'detached', ...patience })
      await expect.poll(() => job.locator('.badge').getAttribute('class'), patience).not.toContain('stale')
      await expect.poll(() => job.getAttribute('data-state'), patience).toBe('running')
      await job
        .getByRole('button', { name: /^Sleep/ })
        .first()
        .click()
      const details = page.getByRole('complementary', { name: 'Job details' })
      await expect.poll(() => details.innerText(), patience).toMatch(/run 2 \(resumed\)/)
      await shot(page, 'e2e-host-back')
    })
  },
)
