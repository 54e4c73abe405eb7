import { mkdirSync } from 'node:fs'
import type { Locator, Page } from 'playwright-core'

export const screenshotDir = 'test-results'

/** Saves a screenshot under test-results/ (git-ignored) for a person to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: `${screenshotDir}/${name}.png` })
}

/** The newest job's row (the list shows newest first). */
export function newestRow(page: Page): Locator {
  return page.locator('[data-job-id]').first()
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
