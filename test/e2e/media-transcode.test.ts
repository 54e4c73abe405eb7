import { readdirSync, readFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeVideo, probe } from '../support/media-fixtures'
import { descendants, isAlive } from '../support/processes'
import { startServe, type ServeProcess } from '../web/serve-process'
import { browserAvailable, launchChromium } from './support/browser'
import { browseTo, openEmptyDashboard, row, shot, shownName } from './support/dashboard-page'

const enabled = browserAvailable()
// A conversion starts a worker and ffmpeg; on a busy 2-core machine that takes a few seconds.
const patience = { timeout: 60_000 }

/** The ffmpeg processes the web host's workers run (Linux, from /proc). */
function ffmpegsUnder(pid: number): number[] {
  return descendants(pid).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'ffmpeg'
    } catch {
      return false
    }
  })
}

/** Samples a row until it is final: every progress value, speed and ETA it showed while running. */
async function watchRun(page: Page, id: string): Promise<{ percents: number[]; rates: string[]; etas: string[] }> {
  const seen = { percents: [] as number[], rates: [] as string[], etas: [] as string[] }
  const note = (list: (number | string)[], value: number | string) => list.includes(value) || list.push(value)
  for (const started = Date.now(); Date.now() - started < patience.timeout;) {
    // Read in one go: the row changes between separate reads (the ETA cell loses its label when the job ends).
    const shown = await row(page, id).evaluate((el) => ({
      state: el.getAttribute('data-state'),
      percent: Number(el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')),
      rate: el.querySelector('.rate')?.textContent?.trim() ?? '',
      eta: el.querySelector('[aria-label^="ETA"]')?.textContent?.trim() ?? '',
    }))
    if (shown.state === 'succeeded' || shown.state === 'failed' || shown.state === 'cancelled') return seen
    if (shown.state === 'running') {
      if (shown.percent > 0 && shown.percent < 100) note(seen.percents, shown.percent)
      if (shown.rate) note(seen.rates, shown.rate)
      if (/\d/.test(shown.eta)) note(seen.etas, shown.eta)
    }
    await page.waitForTimeout(50)
  }
  throw new Error(`job ${id} did not finish within ${patience.timeout} ms`)
}

describe.skipIf(!enabled)('audio and video conversions from the dashboard in Chromium', { timeout: 180_000 }, () => {
  let serve: ServeProcess
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    ;[serve, browser] = await Promise.all([startServe(), launchChromium()])
    for (const folder of ['videos', 'converted', 'cancelled']) mkdirSync(join(serve.root, folder))
    await Promise.all([
      makeVideo(join(serve.root, 'videos'), 'holiday.mp4', { seconds: 70, size: '640x360', rate: 25 }),
      makeVideo(join(serve.root, 'videos'), 'lecture.mp4', { seconds: 90, size: '640x360', rate: 25 }),
    ])
    page = await openEmptyDashboard(browser, serve.url)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    if (serve) expect(await serve.stop()).toBe(0)
  })

  /** Opens New job for media.transcode with one video picked in the folder browser and an output folder. */
  async function newTranscode(video: string, outputFolder: string, preset: string): Promise<void> {
    await page.getByRole('button', { name: 'New job…' }).first().click()
    await page.locator('#new-job-kind').selectOption('media.transcode')
    await page.getByRole('button', { name: 'Add files…' }).click()
    const files = page.getByRole('group', { name: 'Choose files' })
    await browseTo(files, [serve.root, 'videos'])
    await files.getByLabel(new RegExp(video.replace('.', '\\.'))).check()
    await files.getByRole('button', { name: 'Add 1 file' }).click()
    await page.getByRole('button', { name: 'Choose…' }).click()
    const folders = page.getByRole('group', { name: 'Choose a folder' })
    await browseTo(folders, [serve.root, outputFolder])
    await folders.getByRole('button', { name: 'Use this folder' }).click()
    await page.locator('#new-job-preset').selectOption(preset)
  }

  async function download(id: string, label: string, name: string): Promise<string> {
    await row(page, id).getByRole('button', { name: label, exact: true }).click()
    const details = page.getByRole('complementary', { name: 'Job details' })
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      details.getByRole('link', { name: `Download ${name}` }).click(),
    ])
    expect(file.suggestedFilename()).toBe(name)
    return file.path()
  }

  it('converts a trimmed, scaled clip to MP4 (H.264 + AAC), showing progress and speed, and downloads it', async () => {
    await newTranscode('holiday.mp4', 'converted', 'mp4')
    await page.locator('#new-job-start').fill('2')
    await page.locator('#new-job-duration').fill('60')
    await page.locator('#new-job-scale-width').fill('320')
    await shot(page, 'e2e-media-form-light')
    await page.getByRole('button', { name: /^Submit/ }).click()

    const seen = await watchRun(page, '1')
    expect(await row(page, '1').getAttribute('data-state')).toBe('succeeded')
    const shown = `shown while running: ${JSON.stringify(seen)}`
    expect(seen.percents.length, shown).toBeGreaterThan(0)
    expect(seen.rates.length, shown).toBeGreaterThan(0)
    expect(seen.rates.every((rate) => /^\d+\.\d× realtime$/.test(rate))).toBe(true)
    expect(seen.etas.length, shown).toBeGreaterThan(0)
    expect(await row(page, '1').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')

    const probed = await probe(await download('1', `${shownName('holiday.mp4')} → MP4`, 'holiday.mp4'))
    expect(probed.formatName).toContain('mp4')
    expect(Math.abs(probed.durationSec - 60)).toBeLessThan(0.5)
    expect(probed.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: 320,
      height: 180,
    })
    expect(probed.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac')
  })

  it('makes an MP3 of the same clip, with no picture in it', async () => {
    await newTranscode('holiday.mp4', 'converted', 'mp3')
    await page.getByRole('button', { name: /^Submit/ }).click()
    await expect.poll(() => row(page, '2').getAttribute('data-state'), patience).toBe('succeeded')
    await shot(page, 'e2e-media-rows-light')

    const probed = await probe(await download('2', `${shownName('holiday.mp4')} → MP3`, 'holiday.mp3'))
    expect(probed.streams.map((s) => [s.codec_type, s.codec_name])).toEqual([['audio', 'mp3']])
    expect(Math.abs(probed.durationSec - 70)).toBeLessThan(0.5)

    const dark = await browser.newPage({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } })
    await dark.goto(serve.url)
    await row(dark, '1')
      .getByRole('button', { name: `${shownName('holiday.mp4')} → MP4`, exact: true })
      .click()
    await dark.getByRole('complementary', { name: 'Job details' }).getByRole('region', { name: 'Output' }).waitFor()
    await shot(dark, 'e2e-media-rows-dark')
    await dark.getByRole('button', { name: 'New job…' }).first().click()
    await dark.locator('#new-job-kind').selectOption('media.transcode')
    await dark.locator('#new-job-preset').selectOption('mp3')
    await shot(dark, 'e2e-media-form-dark')
    await dark.close()
  })

  // The ffmpeg processes are found in /proc: Linux, as CI is.
  it.skipIf(process.platform !== 'linux')(
    'a cancelled conversion leaves no output, no temp file and no ffmpeg process',
    async () => {
      await newTranscode('lecture.mp4', 'cancelled', 'webm')
      await page.getByRole('button', { name: /^Submit/ }).click()
      const job = row(page, '3')
      await expect
        .poll(async () => Number(await job.getByRole('progressbar').getAttribute('aria-valuenow')), patience)
        .toBeGreaterThan(0)
      const running = ffmpegsUnder(serve.child.pid!)
      expect(running.length).toBeGreaterThan(0)
      expect(readdirSync(join(serve.root, 'cancelled'))).toHaveLength(1)

      await job.getByRole('button', { name: `Cancel ${shownName('lecture.mp4')} → WebM` }).click()
      await expect.poll(() => job.getAttribute('data-state'), patience).toBe('cancelled')
      await expect.poll(() => running.filter(isAlive), patience).toEqual([])
      expect(ffmpegsUnder(serve.child.pid!)).toEqual([])
      expect(readdirSync(join(serve.root, 'cancelled'))).toEqual([])
      await shot(page, 'e2e-media-cancelled-light')
    },
  )
})
