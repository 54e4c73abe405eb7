import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ServeProcess } from '../web/serve-process'
import { browserAvailable, launchChromium } from './support/browser'
import { fillNewJob, listedStates, topRow, row, shot, submitNewJob } from './support/dashboard-page'

const enabled = browserAvailable()
// Worker processes start on first use; on a busy 2-core machine that takes a few seconds.
const patience = { timeout: 20_000 }

describe.skipIf(!enabled)('the dashboard in Chromium against npm run serve', { timeout: 60_000 }, () => {
  let serve: ServeProcess
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    ;[serve, browser] = await Promise.all([startServe(), launchChromium()])
    page = await browser.newPage({ colorScheme: 'light', viewport: { width: 1280, height: 760 } })
    await page.goto(serve.url)
    await page.getByText('No jobs yet').waitFor()
    await shot(page, 'e2e-empty-light')
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    // A clean stop (SIGTERM → engine closed → database closed) exits 0.
    if (serve) expect(await serve.stop()).toBe(0)
  })

  it('submits jobs through the New job form and watches their progress bars move to done', async () => {
    await fillNewJob(page, 'debug.sleep', { ms: '2500', steps: '25', copies: '3' })
    await shot(page, 'e2e-new-job-form')
    await submitNewJob(page)
    const rows = page.locator('[data-job-id]')
    await expect.poll(() => rows.count(), patience).toBe(3)
    const bars = page.locator('[data-job-id] [role="progressbar"]')
    const values = () => bars.evaluateAll((els) => els.map((el) => Number(el.getAttribute('aria-valuenow'))))
    await expect.poll(async () => (await values()).some((v) => v > 0 && v < 100), patience).toBe(true)
    await shot(page, 'e2e-running-light')
    await expect
      .poll(() => listedStates(page), patience)
      .toEqual(expect.objectContaining({ '1': 'succeeded', '2': 'succeeded', '3': 'succeeded' }))
    expect(await bars.evaluateAll((els) => els.map((el) => el.getAttribute('aria-valuenow')))).toEqual([
      '100',
      '100',
      '100',
    ])
    await expect.poll(() => page.locator('.queue-header').innerText(), patience).toContain('All 3 succeeded')
  })

  it('cancels a running job from its row', async () => {
    await fillNewJob(page, 'debug.sleep', { ms: '60000', steps: '600' })
    await submitNewJob(page)
    const job = row(page, '4')
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('running')
    await job.getByRole('button', { name: /^Cancel / }).click()
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('cancelled')
  })

  it('retries a failed job and shows its error code, message and the worker stderr', async () => {
    await fillNewJob(page, 'debug.fail', { mode: 'throw', message: 'The disk said no' })
    await submitNewJob(page)
    const job = row(page, '5')
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('failed')
    await job.getByRole('button', { name: 'Fail (diagnostic)', exact: true }).click()
    const details = page.getByRole('complementary', { name: 'Job details' })
    await expect
      .poll(() => details.getByRole('alert').innerText(), patience)
      .toMatch(/HANDLER_ERROR[\s\S]*The disk said no[\s\S]*about to throw/)
    await details.getByRole('button', { name: /^Retry / }).click()
    await expect.poll(() => details.innerText(), patience).toMatch(/attempt 2 of/)
    // Its Retry button went with the failed state; focus stays in the panel, on its heading.
    expect(await page.evaluate(() => document.activeElement?.closest('aside h2') !== null)).toBe(true)
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('failed')
    await shot(page, 'e2e-failed-details-light')
    const dark = await browser.newPage({ colorScheme: 'dark', viewport: { width: 1280, height: 760 } })
    await dark.goto(serve.url)
    await topRow(dark).getByRole('button', { name: 'Fail (diagnostic)', exact: true }).click()
    await dark.getByRole('complementary', { name: 'Job details' }).getByRole('alert').waitFor()
    await shot(dark, 'e2e-failed-details-dark')
    await dark.close()
  })

  it('keeps two tabs in sync, and a reload shows the same jobs', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 760 } })
    await other.goto(serve.url)
    const count = await page.locator('[data-job-id]').count()
    await fillNewJob(page, 'debug.sleep', { ms: '60000', steps: '600' })
    await submitNewJob(page)
    await expect.poll(() => page.locator('[data-job-id]').count(), patience).toBe(count + 1)
    const id = await topRow(page).getAttribute('data-job-id')
    const there = other.locator(`[data-job-id="${id}"]`)
    await expect.poll(() => there.getAttribute('data-state'), patience).toBe('running')
    await there.getByRole('button', { name: /^Cancel / }).click()
    await expect.poll(() => topRow(page).getAttribute('data-state'), patience).toBe('cancelled')
    await expect.poll(() => listedStates(other), patience).toEqual(await listedStates(page))
    const before = await listedStates(page)
    await page.reload()
    await expect.poll(() => listedStates(page), patience).toEqual(before)
    await other.close()
  })

  it('a job slow to stop shows Stopping… in every tab until it is cancelled', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 760 } })
    await other.goto(serve.url)
    await fillNewJob(page, 'debug.fail', { mode: 'hang' })
    await submitNewJob(page)
    await expect.poll(() => topRow(page).getAttribute('data-state'), patience).toBe('running')
    const jobId = await topRow(page).getAttribute('data-job-id')
    const here = page.locator(`[data-job-id="${jobId}"]`)
    const there = other.locator(`[data-job-id="${jobId}"]`)
    await expect.poll(() => there.getAttribute('data-state'), patience).toBe('running')
    // It ignores its signal: the host kills it once the grace period (5 s) is over.
    await there.getByRole('button', { name: /^Cancel / }).click()
    for (const tab of [here, there]) {
      await expect.poll(() => tab.locator('.badge').innerText(), patience).toMatch(/^stopping$/i)
      expect(await tab.getByRole('button', { name: /^Stopping… / }).isDisabled()).toBe(true)
    }
    await shot(page, 'e2e-stopping-light')
    for (const tab of [here, there]) await expect.poll(() => tab.getAttribute('data-state'), patience).toBe('cancelled')
    expect(await here.getByRole('button', { name: /^Retry / }).isEnabled()).toBe(true)
    await other.close()
  })

  it('a narrow window keeps the bar of the whole queue, and scrolls the last row clear of the selection bar', async () => {
    const narrow = await browser.newPage({ colorScheme: 'dark', viewport: { width: 700, height: 900 } })
    await narrow.goto(serve.url)
    await narrow.locator('[data-job-id]').first().waitFor()
    const bar = narrow.locator('.queue-header .overall > :first-child')
    expect((await bar.boundingBox())?.height).toBe(8)
    await shot(narrow, 'e2e-narrow-dark')
    // A short window: the last row scrolls clear of the bar of selected jobs floating over the list.
    await narrow.setViewportSize({ width: 700, height: 500 })
    const last = narrow.locator('[data-job-id]').last()
    await last.locator('input[type="checkbox"]').click()
    const toolbar = narrow.getByRole('toolbar', { name: 'Selected jobs' })
    await narrow.locator('.job-list').evaluate((list) => (list.scrollTop = list.scrollHeight))
    await expect
      .poll(async () => (await last.boundingBox())!.y + 52, patience)
      .toBeLessThanOrEqual((await toolbar.boundingBox())!.y)
    await narrow.close()
  })

  it('a 500 px window keeps every field of the New job form inside the dialog, long choices too', async () => {
    const small = await browser.newPage({ colorScheme: 'light', viewport: { width: 500, height: 800 } })
    await small.goto(serve.url)
    await small.getByRole('button', { name: 'New job…' }).first().click()
    await small.locator('#new-job-kind').selectOption('image.convert')
    await small.getByText('More options').click()
    // Within the form's padding, where the fields line up, not merely somewhere on the dialog's card.
    const form = small.locator('dialog.new-job form')
    const edge = await form.evaluate(
      (el) => el.getBoundingClientRect().right - parseFloat(getComputedStyle(el).paddingRight),
    )
    const rightEdges = await form
      .locator('input, select, button')
      .evaluateAll((els) =>
        els.map((el) => [el.id || el.textContent?.trim(), el.getBoundingClientRect().right] as const),
      )
    expect(rightEdges.filter(([, right]) => right > edge + 0.5)).toEqual([])
    await shot(small, 'e2e-new-job-500px')
    await small.close()
  })

  it('refuses a file outside the folders the host was started with, and says why', async () => {
    await fillNewJob(page, 'file.hash', {})
    await page.getByRole('button', { name: 'Add files…' }).click()
    const browser = page.getByRole('group', { name: 'Choose files' })
    await browser.getByRole('button', { name: /root/ }).click()
    await browser.getByText('This folder is empty.').waitFor()
    await shot(page, 'e2e-folder-browser')
    await browser.getByRole('button', { name: 'Cancel' }).click()
    // A typed path is judged as it is added, and the refusal shows under the field it was typed in.
    await page.getByLabel('File path').fill('/etc/hostname')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    const refusal = page.getByRole('group', { name: 'Files' }).getByRole('alert')
    await expect.poll(() => refusal.innerText(), patience).toMatch(/folders it was started with, not \/etc\/hostname/)
    await expect.poll(() => page.getByLabel('File path').getAttribute('aria-invalid'), patience).toBe('true')
    await shot(page, 'e2e-forbidden-path')
    await page.keyboard.press('Escape')
  })

  it('refuses the page with a wrong token and the socket from a foreign page', async () => {
    const wrong = await page.request.get(`${serve.origin}/?token=not-the-token`)
    expect(wrong.status()).toBe(401)
    const foreign = await foreignPage()
    try {
      const probe = await browser.newPage()
      await probe.goto(foreign.url)
      const outcome = await probe.evaluate(
        (socketUrl) =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(socketUrl)
            socket.onopen = () => resolve('open')
            socket.onerror = () => resolve('refused')
          }),
        `ws://127.0.0.1:${serve.port}/ws?token=${serve.token}`,
      )
      expect(outcome).toBe('refused')
      await probe.close()
    } finally {
      foreign.server.close()
    }
  })
})

/** Another web site on this machine (another port is another origin) that knows the token. */
async function foreignPage(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>x</title>'),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}
