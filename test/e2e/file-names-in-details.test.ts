import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { openSocket } from '../web/socket-client'
import { browserAvailable } from './support/browser'
import { useDashboardHost } from './support/dashboard-host'
import { row, shot } from './support/dashboard-page'

const enabled = browserAvailable()
const patience = { timeout: 20_000 }

/** How the element's text is laid out: per text node, the lines (distinct tops) it spans; what a copy holds. */
function layout(page: Page, selector: string) {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector)!
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
    const nodes: { text: string; lines: number; top: number }[] = []
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent || node.parentElement?.closest('.newline')) continue
      const range = document.createRange()
      range.selectNodeContents(node)
      const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)))
      nodes.push({ text: node.textContent, lines: tops.size, top: Math.min(...tops) })
    }
    const selection = getSelection()!
    selection.selectAllChildren(element)
    const copied = selection.toString()
    selection.removeAllRanges()
    // What is drawn: the text without the unseen line break kept for a copy.
    const drawn = element.cloneNode(true) as HTMLElement
    drawn.querySelectorAll('.newline .break').forEach((hidden) => hidden.remove())
    return { nodes, copied, shown: drawn.textContent! }
  }, selector)
}

describe.skipIf(!enabled)('file names and paths in the list and the details', { timeout: 60_000 }, () => {
  const dashboard = useDashboardHost({ width: 1280, height: 700 })

  it('a name holding a line break shows it, and a long path wraps after its separators and copies whole', async () => {
    const { serve, page } = dashboard
    const folder = join(serve.root, 'Holiday_photos_from_the_summer', 'Mountains_and_lakes_in_the_north')
    mkdirSync(folder, { recursive: true })
    const file = join(folder, 'first_line\nsecond_line.txt')
    writeFileSync(file, 'x')
    const socket = await openSocket(serve.port, serve.token)
    await socket.call('submit', [{ kind: 'file.hash', input: { input: file, algorithm: 'sha256' } }])
    socket.close()
    const job = row(page, '1')
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('succeeded')

    // In the row, the line break shows as ⏎ between the two lines of the name, not as a space.
    const label = await layout(page, '[data-job-id="1"] .name .link')
    expect(label.shown).toContain('first_line⏎second_line.txt')
    expect(new Set(label.nodes.map((node) => node.top)).size).toBe(1)

    await job.locator('.name .link').click()
    const details = page.getByRole('complementary', { name: 'Job details' })
    await details.waitFor()
    const input = await layout(page, '.details .inputs dd')
    expect(input.shown).toContain('first_line⏎second_line.txt')
    // Copied, it is the path itself, line break and all: no ⏎, no added spaces or breaks.
    expect(JSON.stringify(input.copied.trim())).toBe(JSON.stringify(file))
    // The path (no spaces in it) takes more than one line, each ending at a separator: no folder's name is cut.
    expect(new Set(input.nodes.map((node) => node.top)).size).toBeGreaterThan(1)
    expect(input.nodes.filter((node) => node.lines > 1)).toEqual([])
    await shot(page, 'e2e-file-names-in-details')
  })
  it('a yes-or-no option reads Yes or No in the details, not true or false', async () => {
    const { serve, page } = dashboard
    const image = join(serve.root, 'tiny.png')
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#08f' } })
      .png()
      .toFile(image)
    const socket = await openSocket(serve.port, serve.token)
    const submitted = await socket.call('submit', [
      { kind: 'image.convert', input: { inputs: [image], format: 'webp', keepMetadata: true, autorotate: false } },
    ])
    expect(submitted).toMatchObject({ ok: true, value: ['2'] })
    socket.close()
    const job = row(page, '2')
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('succeeded')
    await job.locator('.name .link').click()
    const options = page.locator('.details .inputs')
    await expect.poll(() => options.innerText(), patience).toMatch(/Keep metadata\s+Yes/)
    expect(await options.innerText()).toMatch(/Autorotate\s+No/i)
    expect(await options.innerText()).not.toMatch(/\b(true|false)\b/)
    await shot(page, 'e2e-yes-no-options')
  })
  it('a search for a label as it is shown finds it, though the name in it is isolated by invisible marks', async () => {
    const { page } = dashboard
    await page.getByPlaceholder('Search label, kind or #id').fill('tiny.png → WebP')
    await expect.poll(() => page.locator('[data-job-id]').count(), patience).toBe(1)
    expect(await row(page, '2').isVisible()).toBe(true)
    await shot(page, 'e2e-search-shown-label')
  })
})
