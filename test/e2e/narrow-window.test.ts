import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSocket } from '../web/socket-client'
import { browserAvailable } from './support/browser'
import { useDashboardHost } from './support/dashboard-host'
import { row, shot } from './support/dashboard-page'

const enabled = browserAvailable()
const patience = { timeout: 20_000 }

describe.skipIf(!enabled)('the dashboard in a 400 px window', { timeout: 60_000 }, () => {
  const dashboard = useDashboardHost({ width: 400, height: 760 })

  it("shows every row's state, progress and buttons without scrolling sideways", async () => {
    const { serve, page } = dashboard
    const file = join(serve.root, 'quarterly report.txt')
    writeFileSync(file, 'x'.repeat(10_000))
    const socket = await openSocket(serve.port, serve.token)
    await socket.call('submit', [
      { kind: 'file.compress', input: { input: file, format: 'gzip' } },
      { kind: 'debug.fail', input: { mode: 'throw', message: 'The disk said no' } },
      { kind: 'debug.sleep', input: { ms: 60_000, steps: 600 } },
    ])
    socket.close()
    await expect.poll(() => row(page, '1').getAttribute('data-state'), patience).toBe('succeeded')
    await expect.poll(() => row(page, '2').getAttribute('data-state'), patience).toBe('failed')
    await expect.poll(() => row(page, '3').getAttribute('data-state'), patience).toBe('running')
    await shot(page, 'e2e-narrow-400')

    const chips = page.getByRole('group', { name: 'Show states' }).getByRole('button')
    expect(await chips.count()).toBe(6)
    for (const chip of await chips.all()) {
      const box = await chip.boundingBox()
      expect(box!.x + box!.width, `the ${await chip.innerText()} filter`).toBeLessThanOrEqual(
        page.viewportSize()!.width,
      )
    }
    const list = page.getByRole('grid')
    expect(await list.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0)
    const width = page.viewportSize()!.width
    const cases = [
      ['1', 'Download', 'Succeeded'],
      ['2', 'Retry', 'Failed'],
      ['3', 'Cancel', 'Running'],
    ] as const
    for (const [id, button, state] of cases) {
      const action = await row(page, id).locator('.actions').getByText(button, { exact: true }).boundingBox()
      expect(action!.x + action!.width, `${button} of #${id}`).toBeLessThanOrEqual(width)
      await expect.poll(() => row(page, id).locator('.badge').innerText()).toMatch(new RegExp(state, 'i'))
      const badge = await row(page, id).locator('.badge').boundingBox()
      expect(badge!.x + badge!.width, `state of #${id}`).toBeLessThanOrEqual(width)
      expect(badge!.x + badge!.width, `state of #${id} clear of its buttons`).toBeLessThanOrEqual(action!.x)
      const bar = await row(page, id).getByRole('progressbar').boundingBox()
      expect(bar!.width, `bar of #${id}`).toBeGreaterThan(40)
      expect(bar!.x + bar!.width, `bar of #${id}`).toBeLessThanOrEqual(width)
    }
  })
})
