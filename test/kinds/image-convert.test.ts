import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { imageConvert } from '../../src/main/jobs/kinds/image-convert'
import { fakeJobContext } from '../support/fake-job-context'
import { expectRejection, runKind, tempOutputs } from '../support/kind-runner'
import { makeImage, makePngBomb } from '../support/media-fixtures'
import { readOnlyFolder } from '../support/read-only-folder'
import { useTempDir } from '../support/temp-dir'

describe('image.convert', () => {
  const tempDir = useTempDir()

  for (const format of ['jpeg', 'png', 'webp', 'avif', 'tiff'] as const) {
    it(`converts to ${format}, resized within the box`, async () => {
      const dir = tempDir()
      const input = await makeImage(dir, 'photo.png', { width: 120, height: 80 })
      const result = await runKind(imageConvert, { inputs: [input], format, width: 60, outputDir: join(dir, 'out') })
      const ext = format === 'jpeg' ? 'jpg' : format
      expect(result.outputs).toEqual([{ path: join(dir, 'out', `photo.${ext}`), size: expect.any(Number) }])
      const meta = await sharp(result.outputs[0]!.path).metadata()
      expect(meta).toMatchObject({ format: format === 'avif' ? 'heif' : format, width: 60, height: 40 })
    })
  }

  it('keeps an animated GIF animated in WebP, every frame resized; a format without frames gets the first', async () => {
    const dir = tempDir()
    const frames = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        sharp({ create: { width: 80, height: 60, channels: 3, background: { r: i * 60, g: 90, b: 40 } } })
          .png()
          .toBuffer(),
      ),
    )
    const input = join(dir, 'spinner.gif')
    await sharp(frames, { join: { animated: true } })
      .gif({ delay: 100, loop: 0 })
      .toFile(input)
    const out = join(dir, 'out')
    const webp = await runKind(imageConvert, { inputs: [input], format: 'webp', width: 40, outputDir: out })
    const png = await runKind(imageConvert, { inputs: [input], format: 'png', width: 40, outputDir: out })
    expect(await sharp(webp.outputs[0]!.path, { animated: true }).metadata()).toMatchObject({
      format: 'webp',
      pages: 4,
      width: 40,
      pageHeight: 30,
    })
    const still = await sharp(png.outputs[0]!.path).metadata()
    expect(still).toMatchObject({ format: 'png', width: 40, height: 30 })
    // The first frame: its colour, not another's.
    const { dominant } = await sharp(png.outputs[0]!.path).stats()
    expect(dominant.r).toBeLessThan(30)
  })

  it('turns transparency white in JPEG, and keeps it, losslessly, in TIFF', async () => {
    const dir = tempDir()
    const input = join(dir, 'logo.png')
    const square = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer()
    // The square far from the corner looked at: JPEG blurs colour across blocks of 16 pixels.
    await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: square, left: 40, top: 40 }])
      .png()
      .toFile(input)
    const pixels = async (path: string) => sharp(path).raw().toBuffer({ resolveWithObject: true })
    const jpeg = await runKind(imageConvert, { inputs: [input], format: 'jpeg', outputDir: join(dir, 'out') })
    const flat = await pixels(jpeg.outputs[0]!.path)
    expect(flat.info.channels).toBe(3)
    expect(Math.min(...flat.data.subarray(0, 3))).toBeGreaterThan(245)
    const tiff = await runKind(imageConvert, { inputs: [input], format: 'tiff', outputDir: join(dir, 'out') })
    const whole = await pixels(tiff.outputs[0]!.path)
    expect(whole.info.channels).toBe(4)
    expect(whole.data.equals((await pixels(input)).data)).toBe(true)
  })

  it('offers only files sharp can read: the file dialog and drop targets list nothing it would refuse', () => {
    const readable = Object.values(sharp.format).flatMap((format) =>
      format.input.file ? ((format.input as { fileSuffix?: string[] }).fileSuffix ?? []) : [],
    )
    expect(imageConvert.accepts?.length).toBeGreaterThan(0)
    for (const ext of imageConvert.accepts ?? []) expect(readable).toContain(`.${ext}`)
  })

  it('reports progress per file for a multi-file job and strips metadata unless kept', async () => {
    const dir = tempDir()
    const inputs = await Promise.all(['a', 'b', 'c'].map((name) => makeImage(dir, `${name}.jpg`, { format: 'jpeg' })))
    const withExif = join(dir, 'exif.jpg')
    await sharp(inputs[0])
      .withExif({ IFD0: { Copyright: 'someone' } })
      .toFile(withExif)
    const ctx = fakeJobContext()
    const result = await runKind(imageConvert, { inputs: [...inputs, withExif], format: 'webp', quality: 70 }, ctx)
    expect(ctx.updates.map((update) => update.done)).toEqual([1, 2, 3, 4])
    expect(ctx.updates.every((update) => update.total === 4 && update.unit === 'files')).toBe(true)
    expect(result.outputs.map((output) => output.path)).toEqual(
      ['a', 'b', 'c', 'exif'].map((n) => join(dir, `${n}.webp`)),
    )
    expect((await sharp(join(dir, 'exif.webp')).metadata()).exif).toBeUndefined()
    const kept = await runKind(imageConvert, { inputs: [withExif], format: 'jpeg', keepMetadata: true })
    expect(kept.outputs[0]!.path).toBe(join(dir, 'exif (1).jpg'))
    expect((await sharp(kept.outputs[0]!.path).metadata()).exif).toBeDefined()
  })

  it('turns a photo upright by its EXIF orientation', async () => {
    const dir = tempDir()
    const input = join(dir, 'sideways.jpg')
    await sharp({ create: { width: 40, height: 20, channels: 3, background: 'white' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toFile(input)
    const result = await runKind(imageConvert, { inputs: [input], format: 'png' })
    expect(await sharp(result.outputs[0]!.path).metadata()).toMatchObject({ width: 20, height: 40 })
  })

  it('keeps a name with newlines and non-Latin characters', async () => {
    const dir = tempDir()
    const input = await makeImage(dir, 'снег\nand 雪 ☃.png')
    const result = await runKind(imageConvert, { inputs: [input], format: 'jpeg' })
    expect(result.outputs[0]!.path).toBe(join(dir, 'снег\nand 雪 ☃.jpg'))
    expect((await sharp(result.outputs[0]!.path).metadata()).format).toBe('jpeg')
  })

  it('refuses a corrupt image, text named .png, a zero-byte file and a 20000×20000 PNG bomb as INVALID_INPUT, leaving nothing', async () => {
    const dir = tempDir()
    const corrupt = join(dir, 'corrupt.jpg')
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]))
    const empty = join(dir, 'empty.png')
    writeFileSync(empty, '')
    const bomb = makePngBomb(dir, 'bomb.png')
    const text = join(dir, 'notes.png')
    writeFileSync(text, 'not an image at all')
    const started = Date.now()
    for (const [input, message] of [
      [corrupt, 'is not a readable image'],
      [text, `${text} is not a readable image: its content is not JPEG, PNG, WebP, GIF, TIFF, AVIF or SVG`],
      [empty, 'is empty'],
      [bomb, 'too large to convert safely'],
    ] as const) {
      const error = await expectRejection(
        runKind(imageConvert, { inputs: [input], format: 'png', outputDir: join(dir, 'out') }),
      )
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(message) })
    }
    expect(Date.now() - started).toBeLessThan(5000)
    expect(readdirSync(join(dir, 'out'))).toEqual([])
  })

  it('a file deleted after it was queued fails clearly; files done before it are not left behind', async () => {
    const dir = tempDir()
    const first = await makeImage(dir, 'first.png')
    const gone = await makeImage(dir, 'gone.png')
    const input = imageConvert.input.parse({ inputs: [first, gone], format: 'webp' })
    unlinkSync(gone)
    const error = await expectRejection(imageConvert.run(input, fakeJobContext()))
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: `${gone} no longer exists` })
    expect(readdirSync(dir)).toEqual(['first.png'])
  })

  it('a read-only output folder fails with FORBIDDEN_PATH before any work', async (test) => {
    const dir = tempDir()
    const input = await makeImage(dir, 'a.png')
    const out = join(dir, 'locked')
    mkdirSync(out)
    const unlock = readOnlyFolder(out)
    if (!unlock) return test.skip('running as root without chattr: a read-only folder cannot be made')
    try {
      const error = await expectRejection(runKind(imageConvert, { inputs: [input], format: 'png', outputDir: out }))
      expect(error).toMatchObject({ code: 'FORBIDDEN_PATH', message: expect.stringContaining('read-only') })
    } finally {
      unlock()
    }
    expect(readdirSync(out)).toEqual([])
  })

  it('a cancel stops at once, mid-encode or between files, and leaves no output and no temp file', async () => {
    const dir = tempDir()
    const small = await makeImage(dir, 'small.png')
    const big = await makeImage(dir, 'big.png', { width: 2400, height: 1800 })
    for (const abortAfterFirstFile of [true, false]) {
      const ctx = fakeJobContext()
      ctx.progress = (update) => {
        ctx.updates.push(update)
        if (abortAfterFirstFile) ctx.controller.abort()
      }
      const running = runKind(
        imageConvert,
        { inputs: [small, big, big], format: 'avif', outputDir: join(dir, 'out') },
        ctx,
      )
      let abortedAt = Date.now()
      if (!abortAfterFirstFile) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        abortedAt = Date.now()
        ctx.controller.abort()
      }
      const error = await expectRejection(running)
      expect(error.name).toBe('AbortError')
      expect(Date.now() - abortedAt).toBeLessThan(300)
      expect(ctx.updates.length).toBeLessThanOrEqual(1)
      expect(readdirSync(join(dir, 'out'))).toEqual([])
      expect(tempOutputs(dir)).toEqual([])
    }
  })

  it('refuses URLs, protocols and relative or option-like paths at submit', () => {
    for (const path of ['file:///etc/passwd', 'http://example.com/a.png', 'concat:/a.png|/b.png', '-i', 'a.png']) {
      expect(imageConvert.input.safeParse({ inputs: [path], format: 'png' }).success, path).toBe(false)
    }
    expect(imageConvert.input.safeParse({ inputs: ['/a.png'], format: 'png', nameTemplate: '../{name}' }).success).toBe(
      false,
    )
    expect(imageConvert.input.safeParse({ inputs: ['/a.png'], format: 'png', nameTemplate: '{stem}' }).success).toBe(
      false,
    )
  })
})
