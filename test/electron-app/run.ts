import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import type { EventBatch } from '../../src/shared/events'
import type { Job } from '../../src/shared/job'
import type { WindowSpool } from '../../src/shared/desktop'
import { electronBinary } from '../../scripts/start'

// `npm run test:electron`: the real app driven through Playwright's Electron driver. Not part of `npm test`
// (it needs the Electron binary, which CI machines here do not have); it says so and exits 0 where missing.

const root = fileURLToPath(new URL('../..', import.meta.url))

declare global {
  interface Window {
    spool: WindowSpool
    e2eBatches: EventBatch[]
  }
  // Set in the main process by the test to record notifications.
  var e2eNotifications: string[]
}

async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now()
  await run()
  console.log(`  ✓ ${name} (${Date.now() - started} ms)`)
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function jobIn(page: Page, id: string): Promise<Job | null> {
  return page.evaluate((jobId) => window.spool.get(jobId), id)
}

async function main(): Promise<number> {
  const executablePath = electronBinary()
  if (!executablePath) {
    console.log('skipped: Electron binary not installed (npm run test:electron needs node_modules/electron/dist)')
    return 0
  }
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build:electron'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (build.status !== 0) return build.status ?? 1

  const userData = mkdtempSync(join(tmpdir(), 'spool-e2e-'))
  let app: ElectronApplication | undefined
  try {
    app = await _electron.launch({
      executablePath,
      args: [root, `--user-data-dir=${userData}`],
      cwd: root,
      env: { ...process.env, SPOOL_DIAGNOSTICS: '1' },
    })
    const page = await app.firstWindow()
    await step('launches one sandboxed window on app://', async () => {
      await page.waitForLoadState('domcontentloaded')
      assert.match(page.url(), /^app:\/\/spool\//)
      assert.equal(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined')
      assert.equal(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined')
    })
    await app.evaluate(({ Notification }) => {
      globalThis.e2eNotifications = []
      Notification.prototype.show = function (this: Electron.Notification) {
        globalThis.e2eNotifications.push(`${this.title}: ${this.body}`)
      }
    })
    await page.evaluate(() => {
      window.e2eBatches = []
      window.spool.onEvents((batch) => window.e2eBatches.push(batch))
    })

    let ids: string[] = []
    await step('submits jobs through window.spool', async () => {
      ids = await page.evaluate(() =>
        window.spool.submit([
          { kind: 'debug.sleep', input: { ms: 3_000, steps: 30 }, label: 'e2e finishes' },
          { kind: 'debug.sleep', input: { ms: 60_000, steps: 600 }, label: 'e2e cancelled' },
        ]),
      )
      assert.equal(ids.length, 2)
    })
    await step('sees progress arrive as events and in the list', async () => {
      await waitFor('a progress event', () =>
        page.evaluate(() => window.e2eBatches.some((b) => b.events.some((e) => e.type === 'progress'))),
      )
      await waitFor('a progress bar', () => page.locator('[role="progressbar"]').first().isVisible())
      const seqs = await page.evaluate(() => window.e2eBatches.map((b) => b.seq))
      seqs.forEach((seq, i) => i > 0 && assert.equal(seq, seqs[i - 1]! + 1))
    })
    await step('cancels a running job', async () => {
      await waitFor('the second job to run', async () => (await jobIn(page, ids[1]!))?.state === 'running')
      assert.equal(await page.evaluate((id) => window.spool.cancel({ ids: [id] }), ids[1]!), 1)
      await waitFor('cancelled', async () => (await jobIn(page, ids[1]!))?.state === 'cancelled')
    })
    await step('a finished job raises a desktop notification', async () => {
      await waitFor('succeeded', async () => (await jobIn(page, ids[0]!))?.state === 'succeeded')
      const shown = await waitFor('a notification', async () => {
        const notes = await app!.evaluate(() => globalThis.e2eNotifications)
        return notes.length > 0 ? notes : null
      })
      assert.match(shown.join('\n'), /e2e finishes/)
    })
    await step('refuses a bad command with a typed error', async () => {
      const error = await page.evaluate(() => window.spool.setConcurrency(0).catch((e: unknown) => e))
      assert.equal((error as { code?: string }).code, 'INVALID_INPUT')
    })
    console.log('Electron app: all checks passed')
    return 0
  } finally {
    await app?.close()
    rmSync(userData, { recursive: true, force: true })
  }
}

process.exitCode = await main()
