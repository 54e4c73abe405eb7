import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemFfmpeg } from '../support/media-fixtures'
import { startServe, type ServeProcess } from '../web/serve-process'
import { browserAvailable, launchChromium } from './support/browser'
import { browseTo, openEmptyDashboard, row, shot, shownName } from './support/dashboard-page'

const enabled = browserAvailable()
// The first conversion starts a worker and loads sharp; on a busy 2-core machine that takes a few seconds.
const patience = { timeout: 30_000 }

/** A 1200 × 800 photo-like PNG: a gradient with a disc, so the converted file has real content. */
async function makePhoto(path: string): Promise<void> {
  const width = 1200
  const height = 800
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      const inDisc = (x - 800) ** 2 + (y - 300) ** 2 < 120 ** 2
      pixels[i] = inDisc ? 255 : Math.round((x / width) * 255)
      pixels[i + 1] = inDisc ? 200 : Math.round((y / height) * 160)
      pixels[i + 2] = inDisc ? 40 : 120
    }
  }
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path)
}

/** Two seconds of a 440 Hz tone as WAV, made by ffmpeg's signal generator. */
function makeTone(path: string): void {
  execFileSync(systemFfmpeg, [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=2',
    path,
  ])
}

describe.skipIf(!enabled)('real conversions from the dashboard in Chromium', { timeout: 120_000 }, () => {
  let serve: ServeProcess
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    ;[serve, browser] = await Promise.all([startServe(), launchChromium()])
    for (const folder of ['photos', 'audio', 'converted', 'packed', 'unpacked']) mkdirSync(join(serve.root, folder))
    await makePhoto(join(serve.root, 'photos', 'sunset.png'))
    makeTone(join(serve.root, 'audio', 'tone.wav'))
    page = await openEmptyDashboard(browser, serve.url)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    if (serve) expect(await serve.stop()).toBe(0)
  })

  it('converts a photo to a 640 px WebP picked with the folder browser, and downloads it', async () => {
    await page.getByRole('button', { name: 'New job…' }).first().click()
    await page.locator('#new-job-kind').selectOption('image.convert')
    await page.getByRole('button', { name: 'Add files…' }).click()
    const files = page.getByRole('group', { name: 'Choose files' })
    await browseTo(files, [serve.root, 'photos'])
    await files.getByLabel(/sunset\.png/).check()
    await shot(page, 'e2e-convert-browse-light')
    await files.getByRole('button', { name: 'Add 1 file' }).click()
    await page.getByRole('button', { name: 'Choose…' }).click()
    const folders = page.getByRole('group', { name: 'Choose a folder' })
    await browseTo(folders, [serve.root, 'converted'])
    await folders.getByRole('button', { name: 'Use this folder' }).click()
    await page.locator('#new-job-format').selectOption('webp')
    await page.locator('#new-job-width').fill('640')
    await shot(page, 'e2e-convert-form-light')
    await page.getByRole('button', { name: /^Submit/ }).click()

    const job = row(page, '1')
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('succeeded')
    expect(await job.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    await job.getByRole('button', { name: `${shownName('sunset.png')} → WebP`, exact: true }).click()
    const details = page.getByRole('complementary', { name: 'Job details' })
    const output = join(serve.root, 'converted', 'sunset.webp')
    await expect.poll(() => details.getByRole('region', { name: 'Output' }).innerText(), patience).toContain(output)
    await shot(page, 'e2e-convert-details-light')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      details.getByRole('link', { name: 'Download sunset.webp' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('sunset.webp')
    const bytes = readFileSync(await download.path())
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'webp', width: 640, height: 427 })
  })

  it('shows the checksum of a recording, the same as computed here', async () => {
    await page.getByRole('button', { name: 'New job…' }).first().click()
    await page.locator('#new-job-kind').selectOption('file.hash')
    await page.getByRole('button', { name: 'Add files…' }).click()
    const files = page.getByRole('group', { name: 'Choose files' })
    await browseTo(files, [serve.root, 'audio'])
    await files.getByLabel(/tone\.wav/).check()
    await files.getByRole('button', { name: 'Add 1 file' }).click()
    await page.locator('#new-job-algorithm').selectOption('sha256')
    await page.getByRole('button', { name: /^Submit/ }).click()

    const job = row(page, '2')
    await expect.poll(() => job.getAttribute('data-state'), patience).toBe('succeeded')
    await job.getByRole('button', { name: `${shownName('tone.wav')} · SHA-256`, exact: true }).click()
    const expected = createHash('sha256')
      .update(readFileSync(join(serve.root, 'audio', 'tone.wav')))
      .digest('hex')
    const result = page.getByRole('complementary', { name: 'Job details' }).getByRole('region', { name: 'Result' })
    await expect.poll(() => result.innerText(), patience).toContain(expected)
    await shot(page, 'e2e-hash-details-light')

    const dark = await browser.newPage({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } })
    await dark.goto(serve.url)
    await row(dark, '1')
      .getByRole('button', { name: `${shownName('sunset.png')} → WebP`, exact: true })
      .click()
    await dark.getByRole('complementary', { name: 'Job details' }).getByRole('region', { name: 'Output' }).waitFor()
    await shot(dark, 'e2e-convert-details-dark')
    await dark.getByRole('button', { name: 'New job…' }).first().click()
    await dark.locator('#new-job-kind').selectOption('image.convert')
    await dark.getByRole('button', { name: 'Add files…' }).click()
    await browseTo(dark.getByRole('group', { name: 'Choose files' }), [serve.root, 'photos'])
    await shot(dark, 'e2e-convert-browse-dark')
    await dark.close()
  })

  /** Runs one single-file job from New job: the file picked in `from`, its output put in `to`. */
  async function runFileJob(kind: string, from: string, file: string, to: string, id: string): Promise<void> {
    await page.getByRole('button', { name: 'New job…' }).first().click()
    await page.locator('#new-job-kind').selectOption(kind)
    await page.getByRole('button', { name: 'Add files…' }).click()
    const files = page.getByRole('group', { name: 'Choose files' })
    await browseTo(files, [serve.root, from])
    await files.getByLabel(file).check()
    await files.getByRole('button', { name: 'Add 1 file' }).click()
    await page.getByRole('button', { name: 'Choose…' }).click()
    const folders = page.getByRole('group', { name: 'Choose a folder' })
    await browseTo(folders, [serve.root, to])
    await folders.getByRole('button', { name: 'Use this folder' }).click()
    if (kind === 'file.compress') await page.locator('#new-job-format').selectOption('brotli')
    await page.getByRole('button', { name: /^Submit/ }).click()
    await expect.poll(() => row(page, id).getAttribute('data-state'), patience).toBe('succeeded')
  }

  it('compresses a recording and decompresses it again: the round trip is the same bytes', async () => {
    await runFileJob('file.compress', 'audio', 'tone.wav', 'packed', '3')
    await runFileJob('file.decompress', 'packed', 'tone.wav.br', 'unpacked', '4')
    await shot(page, 'e2e-compress-rows-light')

    await row(page, '4')
      .getByRole('button', { name: `${shownName('tone.wav.br')} → unpacked`, exact: true })
      .click()
    const details = page.getByRole('complementary', { name: 'Job details' })
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      details.getByRole('link', { name: 'Download tone.wav' }).click(),
    ])
    const original = readFileSync(join(serve.root, 'audio', 'tone.wav'))
    const packed = statSync(join(serve.root, 'packed', 'tone.wav.br')).size
    expect(packed).toBeLessThan(original.length / 2)
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
    expect(digest(readFileSync(await download.path()))).toBe(digest(original))
  })
})
