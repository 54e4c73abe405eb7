import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openSocket } from '../web/socket-client'
import { browserAvailable } from './support/browser'
import { useDashboardHost } from './support/dashboard-host'
import { row, shot } from './support/dashboard-page'

const enabled = browserAvailable()
const patience = { timeout: 20_000 }

/** Where, left to right on screen, the first and last of `part` sit in the element's text. */
function horizontalExtent(page: Page, selector: string, part: string): Promise<{ left: number; right: number }> {
  return page.evaluate(
    ([selector, part]) => {
      const element = document.querySelector(selector!)!
      const text = [...element.childNodes].find(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent!.includes(part!),
      )!
      const start = text.textContent!.indexOf(part!)
      const range = document.createRange()
      range.setStart(text, start)
      range.setEnd(text, start + part!.length)
      const rects = [...range.getClientRects()]
      return { left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)) }
    },
    [selector, part],
  )
}

describe.skipIf(!enabled)('a file with a Hebrew name in the job list', { timeout: 60_000 }, () => {
  const dashboard = useDashboardHost({ width: 1280, height: 600 })

  it('shows the whole name, then "· SHA-256" after it, not the format pulled into the name', async () => {
    const { serve, page } = dashboard
    const file = join(serve.root, 'דוח שנתי.txt')
    writeFileSync(file, 'x')
    const socket = await openSocket(serve.port, serve.token)
    await socket.call('submit', [{ kind: 'file.hash', input: { input: file, algorithm: 'sha256' } }])
    socket.close()
    await expect.poll(() => row(page, '1').getAttribute('data-state'), patience).toBe('succeeded')
    await shot(page, 'e2e-rtl-file-name')
    const label = '[data-job-id="1"] .name .link'
    const name = await horizontalExtent(page, label, 'דוח שנתי.txt')
    const algorithm = await horizontalExtent(page, label, '· SHA-256')
    // Read left to right: the name (in its own right-to-left order) comes first, "· SHA-256" after it.
    expect(name.right).toBeLessThanOrEqual(algorithm.left)
  })
})
