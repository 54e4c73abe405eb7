import { mkdirSync } from 'node:fs'
import type { Browser, Locator, Page } from 'playwright-core'

export const screenshotDir = 'test-results'

/**
 * Saves a screenshot under test-results/ (git-ignored) for a person to look at. Progress bars are caught where
 * they settle, not a frame into their 0.2 s glide (a bar just done would look half full).
 */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, animations: 'disabled' })
}

/** A new light-theme page on a fresh host's dashboard, its empty state shown, that accepts downloads. */
export async function openEmptyDashboard(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const page = await browser.newPage({ colorScheme: 'light', viewport, acceptDownloads: true })
  await page.goto(url)
  await page.getByText('No jobs yet').waitFor()
  return page
}

/** A file's name as the labels Spool makes show it: isolated, so it keeps its own direction ("photo.jpg" → WebP). */
export function shownName(name: string): string {
  return `\u2068${name}\u2069`
}

/** The top row: the first running or queued job, else the most recently finished one. */
export function topRow(page: Page): Locator {
  return page.locator('[data-job-id][aria-rowindex="3"]')
}

export function row(page: Page, id: string): Locator {
  return page.locator(`[data-job-id="${id}"]`)
}

/** Opens "New job", picks a kind and fills the generated fields by their names. */
export async function fillNewJob(page: Page, kind: string, fields: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: 'New job…' }).first().click()
  await page.locator('#new-job-kind').selectOption(kind)
  for (const [name, value] of Object.entries(fields)) {
    const field = page.locator(`#new-job-${name}`)
    if (!(await field.isVisible())) await page.getByText('More options').click()
    if ((await field.evaluate((node) => node.tagName)) === 'SELECT') await field.selectOption(value)
    else await field.fill(value)
  }
}

export async function submitNewJob(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Submit/ }).click()
}

/** Every listed job's state, by id, as the page shows it. */
export function listedStates(page: Page): Promise<Record<string, string>> {
  return page
    .locator('[data-job-id]')
    .evaluateAll((rows) =>
      Object.fromEntries(rows.map((el) => [el.getAttribute('data-job-id'), el.getAttribute('data-state')])),
    )
}

/** Opens folders in the dashboard's folder browser, from the list of roots down, by name. */
export async function browseTo(browser: Locator, names: string[]): Promise<void> {
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    // Whole names only: "packed" must not find "unpacked".
    await browser.getByRole('button', { name: new RegExp(`(^|\\s)${escaped}$`) }).click()
    await browser.locator('code', { hasText: new RegExp(`(^|/)${escaped}$`) }).waitFor()
  }
}
