import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { eventually, expectCode, useSpool } from '../support/test-spool'
import { tempOutputs } from '../support/kind-runner'
import { makeImage, makeVideo, probe } from '../support/media-fixtures'
import { descendants } from '../support/processes'
import { useTempDir } from '../support/temp-dir'

function ffmpegPids(): number[] {
  return descendants(process.pid).filter((pid) => {
    try {
      return /ffmpeg/.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))
    } catch {
      return false
    }
  })
}

describe('conversions through Spool (real worker processes)', () => {
  const tempDir = useTempDir()
  const open = useSpool()

  it('lists every conversion kind as available', async () => {
    const { spool } = await open({ roots: [tempDir()] })
    const kinds = await spool.kinds()
    for (const kind of ['image.convert', 'media.transcode', 'file.compress', 'file.decompress', 'file.hash']) {
      expect(
        kinds.find((info) => info.kind === kind),
        kind,
      ).toMatchObject({ available: true })
    }
  })

  it('names a job by what it does to which file when its spec gives no label, and keeps a given label', async () => {
    const dir = tempDir()
    const { spool } = await open({ roots: [dir] })
    await spool.pause()
    const [a, b, c] = ['a.png', 'holiday.mp4', 'notes.txt.br'].map((name) => {
      writeFileSync(join(dir, name), 'x')
      return join(dir, name)
    })
    const ids = await spool.submit([
      { kind: 'image.convert', input: { inputs: [a, a, a], format: 'webp' } },
      { kind: 'media.transcode', input: { input: b, preset: 'mp3' } },
      { kind: 'media.transcode', input: { input: b, preset: 'mp4' } },
      { kind: 'file.compress', input: { input: b, format: 'brotli' } },
      { kind: 'file.decompress', input: { input: c } },
      { kind: 'file.hash', input: { input: b, algorithm: 'md5' } },
      { kind: 'file.hash', label: 'Release build', input: { input: b } },
    ])
    const labels = await Promise.all(ids.map(async (id) => (await spool.get(id))?.label))
    // The file's name is isolated (U+2068 … U+2069): a Hebrew or Arabic name keeps its own direction in the label.
    const name = (file: string) => `\u2068${file}\u2069`
    expect(labels).toEqual([
      `${name('a.png')} and 2 more → WebP`,
      `${name('holiday.mp4')} → MP3`,
      `${name('holiday.mp4')} → MP4`,
      `${name('holiday.mp4')} → Brotli`,
      `${name('notes.txt.br')} → unpacked`,
      `${name('holiday.mp4')} · MD5`,
      'Release build',
    ])
  })

  it('converts an image, a clip, compresses and hashes, with outputs and sizes in the result', async () => {
    const dir = tempDir()
    const { spool } = await open({ roots: [dir] })
    const image = await makeImage(dir, 'photo.png', { width: 100, height: 50 })
    const clip = await makeVideo(dir, 'clip.mp4', { seconds: 1 })
    const ids = await spool.submit([
      { kind: 'image.convert', input: { inputs: [image], format: 'webp', width: 50, outputDir: join(dir, 'out') } },
      { kind: 'media.transcode', input: { input: clip, preset: 'opus', outputDir: join(dir, 'out') } },
      { kind: 'file.compress', input: { input: image, format: 'brotli' } },
      { kind: 'file.hash', input: { input: clip } },
    ])
    const [converted, transcoded, compressed, hashed] = await Promise.all(ids.map((id) => spool.wait(id)))
    for (const job of [converted, transcoded, compressed, hashed]) expect(job).toMatchObject({ state: 'succeeded' })
    expect(converted!.result).toEqual({
      outputs: [{ path: join(dir, 'out', 'photo.webp'), size: expect.any(Number) }],
      skipped: [],
    })
    expect(await sharp(join(dir, 'out', 'photo.webp')).metadata()).toMatchObject({ width: 50, height: 25 })
    expect((await probe(join(dir, 'out', 'clip.opus'))).streams[0]).toMatchObject({ codec_name: 'opus' })
    expect(compressed!.result).toMatchObject({ outputs: [{ path: join(dir, 'photo.png.br') }] })
    expect(hashed!.result).toEqual({
      outputs: [],
      algorithm: 'sha256',
      digest: createHash('sha256').update(readFileSync(clip)).digest('hex'),
    })
    expect(transcoded!.progress.fraction).toBe(1)
  })

  it('refuses paths outside the roots, URLs and concat: at submit, storing nothing', async () => {
    const dir = tempDir()
    const outside = tempDir()
    const { spool } = await open({ roots: [dir] })
    const image = await makeImage(dir, 'a.png')
    const stranger = await makeImage(outside, 'b.png')
    await expectCode(
      spool.submit([{ kind: 'image.convert', input: { inputs: [stranger], format: 'png' } }]),
      'FORBIDDEN_PATH',
    )
    await expectCode(
      spool.submit([{ kind: 'image.convert', input: { inputs: [image], format: 'png', outputDir: outside } }]),
      'FORBIDDEN_PATH',
    )
    for (const input of ['concat:/etc/passwd|/etc/hosts', 'file:///etc/passwd', 'http://127.0.0.1/a.mp4']) {
      await expectCode(spool.submit([{ kind: 'media.transcode', input: { input, preset: 'mp3' } }]), 'INVALID_INPUT')
    }
    expect((await spool.list({})).jobs).toEqual([])
  })

  it('a file deleted while queued fails with a clear INVALID_INPUT', async () => {
    const dir = tempDir()
    const { spool } = await open({ roots: [dir], startPaused: true })
    const image = await makeImage(dir, 'soon-gone.png')
    const [id] = await spool.submit([{ kind: 'image.convert', input: { inputs: [image], format: 'jpeg' } }])
    unlinkSync(image)
    await spool.resume()
    expect(await spool.wait(id!)).toMatchObject({
      state: 'failed',
      // Found by the check of a queued job's paths before it runs, or by the kind itself.
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/no longer exists|not found/i) },
    })
    expect(readdirSync(dir)).toEqual([])
  })

  it('a cancelled conversion leaves no partial file, no temp file and no ffmpeg process', async () => {
    const dir = tempDir()
    const { spool } = await open({ roots: [dir] })
    const long = await makeVideo(dir, 'long.mp4', { seconds: 20, size: '640x480', rate: 25 })
    const [id] = await spool.submit([
      { kind: 'media.transcode', input: { input: long, preset: 'webm', outputDir: join(dir, 'out') } },
    ])
    await eventually(async () => ((await spool.get(id!))?.progress.fraction ?? 0) > 0)
    expect(ffmpegPids()).toHaveLength(1)
    await spool.cancel({ ids: [id!] })
    expect((await spool.wait(id!)).state).toBe('cancelled')
    await eventually(() => ffmpegPids().length === 0, 5000)
    expect(readdirSync(join(dir, 'out'))).toEqual([])
    expect(tempOutputs(dir)).toEqual([])
  })

  // Open files are listed in /proc: Linux, as CI is.
  it.skipIf(process.platform !== 'linux')(
    'a converted original is not held open by the worker that read it, so it can be deleted or moved at once',
    async () => {
      const dir = tempDir()
      const { spool } = await open({ roots: [dir] })
      const inputs = await Promise.all(
        ['a', 'b'].map(async (name) => {
          const path = join(dir, `${name}.webp`)
          await sharp({ create: { width: 64, height: 48, channels: 3, background: 'teal' } })
            .webp()
            .toFile(path)
          return path
        }),
      )
      const [id] = await spool.submit([{ kind: 'image.convert', input: { inputs, format: 'png' } }])
      const job = await spool.wait(id!)
      expect(job.state).toBe('succeeded')
      const workers = descendants(process.pid)
      expect(workers.length).toBeGreaterThan(0)
      const heldOpen = workers.flatMap((pid) => {
        try {
          return readdirSync(`/proc/${pid}/fd`).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`))
        } catch {
          return []
        }
      })
      expect(heldOpen.filter((path) => inputs.includes(path))).toEqual([])
    },
  )

  it('an existing file with the output name is kept; the output is numbered', async () => {
    const dir = tempDir()
    const { spool } = await open({ roots: [dir] })
    const input = join(dir, 'data.txt')
    writeFileSync(input, 'x'.repeat(10_000))
    writeFileSync(join(dir, 'data.txt.gz'), 'mine')
    const [id] = await spool.submit([{ kind: 'file.compress', input: { input } }])
    expect((await spool.wait(id!)).result).toMatchObject({ outputs: [{ path: join(dir, 'data.txt (1).gz') }] })
    expect(readFileSync(join(dir, 'data.txt.gz'), 'utf8')).toBe('mine')
  })
})
