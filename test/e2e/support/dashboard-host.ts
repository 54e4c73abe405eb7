import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { startServe, type ServeProcess } from '../../web/serve-process'
import { launchChromium } from './browser'
import { openEmptyDashboard } from './dashboard-page'

export interface DashboardHost {
  serve: ServeProcess
  page: Page
}

/**
 * For a describe block: a fresh web host and Chromium showing its empty dashboard at `viewport`, both closed
 * after the block. Read the fields inside the tests, once the block has started them.
 */
export function useDashboardHost(viewport?: { width: number; height: number }): DashboardHost {
  const host = {} as DashboardHost
  let browser: Browser | undefined
  beforeAll(async () => {
    ;[host.serve, browser] = await Promise.all([startServe(), launchChromium()])
    host.page = await openEmptyDashboard(browser, host.serve.url, viewport)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await host.serve?.stop()
  })
  return host
}
