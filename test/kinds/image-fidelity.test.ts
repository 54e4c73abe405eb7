import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { imageConvert } from '../../src/main/jobs/kinds/image-convert'
import { runKind } from '../support/kind-runner'
import { useSpool } from '../support/test-spool'
import { useTempDir } from '../support/temp-dir'

const pixels = async (path: string) => (await sharp(path).ensureAlpha().raw().toBuffer()).toString('hex')

describe('image.convert keeps what the source has', () => {
  const tempDir = useTempDir()

  it('a 16-bit PNG stays 16-bit in PNG and TIFF, and grey stays one channel', async () => {
    const dir = tempDir()
    const deep = join(dir, 'scan.png')
    const grey = join(dir, 'page.png')
    await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 0, g: 128, b: 255 } } })
      .toColourspace('rgb16')
      .png()
      .toFile(deep)
    await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .toColourspace('b-w')
      .png()
      .toFile(grey)
    for (const format of ['png', 'tiff'] as const) {
      const out = join(dir, format)
      const [deepOut] = (await runKind(imageConvert, { inputs: [deep], format, outputDir: out })).outputs
      const [greyOut] = (await runKind(imageConvert, { inputs: [grey], format, outputDir: out })).outputs
      expect(await sharp(deepOut!.path).metadata(), format).toMatchObject({ depth: 'ushort', channels: 3 })
      expect(
        (await sharp(deepOut!.path).raw({ depth: 'ushort' }).toBuffer()).equals(
          await sharp(deep).raw({ depth: 'ushort' }).toBuffer(),
        ),
      ).toBe(true)
      expect(await sharp(greyOut!.path).metadata(), format).toMatchObject({ channels: 1, depth: 'uchar' })
      expect(await pixels(greyOut!.path)).toBe(await pixels(grey))
    }
  })

  it('a palette PNG converted to PNG stays a palette PNG of about its size, every pixel the same', async () => {
    const dir = tempDir()
    const input = join(dir, 'icon.png')
    const width = 400
    const height = 300
    const raw = Buffer.alloc(width * height * 4)
    for (let i = 0; i < width * height; i++) {
      const shade = Math.floor((i % width) / 2) % 200
      raw.set([shade, 255 - shade, (shade * 7) % 256, i % width < 100 ? 0 : 255], i * 4)
    }
    await sharp(raw, { raw: { width, height, channels: 4 } })
      .png({ palette: true, dither: 0 })
      .toFile(input)
    const [output] = (await runKind(imageConvert, { inputs: [input], format: 'png', outputDir: join(dir, 'out') }))
      .outputs
    expect(await sharp(output!.path).metadata()).toMatchObject({ isPalette: true, width, height })
    // Without the palette the same pixels took twice the bytes; a flatter image, 46 times.
    expect(output!.size).toBeLessThan(statSync(input).size * 1.5)
    expect(await pixels(output!.path)).toBe(await pixels(input))
    // Resized, new colours blend in: a palette would lose them, so the output is full colour.
    const [resized] = (
      await runKind(imageConvert, { inputs: [input], format: 'png', width: 133, outputDir: join(dir, 'small') })
    ).outputs
    expect(await sharp(resized!.path).metadata()).toMatchObject({ isPalette: false, width: 133 })
  })

  it("an SVG's references to other files are not followed: the output shows none of them", async () => {
    const dir = tempDir()
    await sharp({ create: { width: 10, height: 10, channels: 3, background: '#00ff00' } })
      .png()
      .toFile(join(dir, 'private.png'))
    for (const href of ['private.png', `file://${join(dir, 'private.png')}`]) {
      const svg = join(dir, 'drawing.svg')
      writeFileSync(
        svg,
        `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20" height="20" fill="blue"/>` +
          `<image href="${href}" width="20" height="20"/></svg>`,
      )
      const { outputs } = await runKind(imageConvert, { inputs: [svg], format: 'png', collision: 'overwrite' })
      const { data } = await sharp(outputs[0]!.path).raw().toBuffer({ resolveWithObject: true })
      expect([...data.subarray(0, 4)], href).toEqual([0, 0, 255, 255])
    }
    // An embedded image is part of the document, and is drawn.
    const dot = (await sharp(join(dir, 'private.png')).toBuffer()).toString('base64')
    const embedded = join(dir, 'embedded.svg')
    writeFileSync(
      embedded,
      `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">` +
        `<image href="data:image/png;base64,${dot}" width="20" height="20"/></svg>`,
    )
    const { outputs } = await runKind(imageConvert, { inputs: [embedded], format: 'png' })
    expect([...(await sharp(outputs[0]!.path).raw().toBuffer()).subarray(0, 4)]).toEqual([0, 255, 0, 255])
  })
})

describe('image.convert of a large image through Spool', () => {
  const tempDir = useTempDir()
  const open = useSpool()

  it('a long AVIF encode names the file it is on and is not stopped by the watchdog', async () => {
    const dir = tempDir()
    const input = join(dir, 'photo.png')
    // Noise is the slowest thing to encode: several seconds here, far more than the watchdog below allows.
    await sharp({
      create: {
        width: 800,
        height: 600,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .png()
      .toFile(input)
    const { spool, events } = await open({ roots: [dir], watchdogMs: 1500 })
    const [id] = await spool.submit([{ kind: 'image.convert', input: { inputs: [input], format: 'avif' } }])
    const job = await spool.wait(id!)
    expect(job).toMatchObject({ state: 'succeeded' })
    const messages = events('progress').map((event) => (event as { progress: { message?: string } }).progress.message)
    expect(messages).toContain('\u2068photo.png\u2069 → AVIF')
    expect(await sharp((job.result as { outputs: { path: string }[] }).outputs[0]!.path).metadata()).toMatchObject({
      format: 'heif',
      width: 800,
    })
  })
})
