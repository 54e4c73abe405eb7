import { copyFileSync, mkdtempSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mediaTranscode } from '../../src/main/jobs/kinds/media-transcode'
import { planPreset } from '../../src/main/jobs/kinds/media-presets'
import { mediaTools } from '../../src/main/jobs/tools/find-ffmpeg'
import { fakeJobContext } from '../support/fake-job-context'
import { expectRejection, runKind, tempOutputs } from '../support/kind-runner'
import { makeVideo, probe, withSubtitles } from '../support/media-fixtures'
import { isAlive } from '../support/processes'
import { useTempDir } from '../support/temp-dir'

const codecs = (probed: Awaited<ReturnType<typeof probe>>) =>
  Object.fromEntries(probed.streams.map((stream) => [stream.codec_type, stream.codec_name]))

describe('media.transcode', () => {
  const tempDir = useTempDir()
  let clip: string
  let fixtures: string

  // Made once for the file: the per-test temp dirs are removed after each test.
  beforeAll(async () => {
    fixtures = mkdtempSync(join(tmpdir(), 'spool-media-'))
    clip = await makeVideo(fixtures, 'clip.mp4', { seconds: 2 })
  })
  afterAll(() => rmSync(fixtures, { recursive: true, force: true }))

  it('is available: ffmpeg was found', () => {
    expect(mediaTranscode.available?.()).toEqual({ available: true })
    expect(mediaTools().ffmpeg?.path).toBeTruthy()
  })

  const cases = [
    { preset: 'mp4', ext: 'mp4', expect: { video: 'h264', audio: 'aac' } },
    { preset: 'webm', ext: 'webm', expect: { video: 'vp9', audio: 'opus' } },
    { preset: 'mp3', ext: 'mp3', expect: { audio: 'mp3' } },
    { preset: 'opus', ext: 'opus', expect: { audio: 'opus' } },
    { preset: 'wav', ext: 'wav', expect: { audio: 'pcm_s16le' } },
    { preset: 'flac', ext: 'flac', expect: { audio: 'flac' } },
    { preset: 'extract-audio', ext: 'm4a', expect: { audio: 'aac' } },
    { preset: 'gif', ext: 'gif', expect: { video: 'gif' } },
  ] as const

  for (const c of cases) {
    it(`${c.preset}: the output has the preset's codecs and the clip's length; progress reaches 1`, async () => {
      const dir = tempDir()
      const ctx = fakeJobContext()
      const result = await runKind(mediaTranscode, { input: clip, preset: c.preset, outputDir: dir }, ctx)
      expect(result.outputs).toEqual([{ path: join(dir, `clip.${c.ext}`), size: expect.any(Number) }])
      const probed = await probe(result.outputs[0]!.path)
      expect(codecs(probed)).toEqual(c.expect)
      expect(probed.durationSec).toBeGreaterThan(1.8)
      expect(probed.durationSec).toBeLessThan(2.3)
      expect(ctx.lastFraction()).toBe(1)
      expect(tempOutputs(dir)).toEqual([])
    })
  }

  it.each([
    ['mp4', 'mov_text'],
    ['webm', 'webvtt'],
  ])('%s keeps every text subtitle stream of the input, as %s', async (preset, codec) => {
    const dir = tempDir()
    const film = await withSubtitles(clip, dir, 'film.mkv', ['eng', 'fra'])
    expect((await probe(film)).streams.filter((stream) => stream.codec_type === 'subtitle')).toHaveLength(2)
    const ctx = fakeJobContext()
    const result = await runKind(mediaTranscode, { input: film, preset, outputDir: dir }, ctx)
    const streams = (await probe(result.outputs[0]!.path)).streams
    expect(streams.filter((stream) => stream.codec_type === 'subtitle').map((stream) => stream.codec_name)).toEqual([
      codec,
      codec,
    ])
    expect(ctx.lines.filter((line) => /subtitle/.test(line))).toEqual([])
  })

  it('says in the log how many subtitle streams an audio output could not carry', async () => {
    const dir = tempDir()
    const film = await withSubtitles(clip, dir, 'film.mkv', ['eng', 'fra'])
    const ctx = fakeJobContext()
    const result = await runKind(mediaTranscode, { input: film, preset: 'mp3', outputDir: dir }, ctx)
    expect(codecs(await probe(result.outputs[0]!.path))).toEqual({ audio: 'mp3' })
    expect(ctx.lines).toContain('2 subtitle streams were not carried into the MP3')
  })

  it('leaves picture subtitles (DVD, Blu-ray) out of an MP4, keeping the text ones, and counts them', () => {
    const info = { formatName: 'matroska,webm', hasVideo: true, hasAudio: true }
    const plan = planPreset('mp4', { ...info, subtitleCodecs: ['dvd_subtitle', 'subrip', 'hdmv_pgs_subtitle'] }, {})
    expect(plan.droppedSubtitles).toBe(2)
    expect(plan.args.join(' ')).toMatch(/-map 0:s:1 -c:s mov_text -f mp4$/)
    expect(plan.args.join(' ')).not.toMatch(/0:s:0|0:s:2/)
  })

  it('trims and scales, and says how fast it goes', async () => {
    const dir = tempDir()
    const ctx = fakeJobContext()
    const input = { input: clip, preset: 'mp4', start: 0.5, duration: 1, scale: { width: 80 }, outputDir: dir }
    const result = await runKind(mediaTranscode, input, ctx)
    const probed = await probe(result.outputs[0]!.path)
    expect(probed.durationSec).toBeGreaterThan(0.9)
    expect(probed.durationSec).toBeLessThan(1.2)
    expect(probed.streams.find((stream) => stream.codec_type === 'video')).toMatchObject({ width: 80, height: 60 })
    expect(ctx.updates.at(-1)).toMatchObject({ fraction: 1, total: 1, unit: 's' })
    expect(ctx.updates.some((update) => /× realtime$/.test(update.message ?? ''))).toBe(true)
  })

  it('an animated GIF defaults to 480 px wide at most, or the asked scale', async () => {
    const dir = tempDir()
    const result = await runKind(mediaTranscode, { input: clip, preset: 'gif', scale: { height: 60 }, outputDir: dir })
    expect(await sharp(result.outputs[0]!.path).metadata()).toMatchObject({ format: 'gif', height: 60, width: 80 })
    // A clip narrower than that keeps its size: nothing is blown up.
    const small = await runKind(mediaTranscode, { input: clip, preset: 'gif', outputDir: join(dir, 'small') })
    expect(await sharp(small.outputs[0]!.path).metadata()).toMatchObject({ width: 160, height: 120 })
    const wide = await makeVideo(dir, 'wide.mp4', { size: '640x360' })
    const shrunk = await runKind(mediaTranscode, { input: wide, preset: 'gif', outputDir: join(dir, 'wide') })
    expect(await sharp(shrunk.outputs[0]!.path).metadata()).toMatchObject({ width: 480, height: 270 })
  })

  it('extracts audio as it is into a file players open: PCM from a camera into WAV, ALAC into M4A', async () => {
    const dir = tempDir()
    for (const [codec, ext] of [
      ['pcm_s16le', 'wav'],
      ['alac', 'm4a'],
    ] as const) {
      const camera = await makeVideo(dir, `camera-${codec}.mov`, { audioCodec: codec })
      const result = await runKind(mediaTranscode, { input: camera, preset: 'extract-audio', outputDir: dir })
      expect(result.outputs[0]!.path).toBe(join(dir, `camera-${codec}.${ext}`))
      expect(codecs(await probe(result.outputs[0]!.path))).toEqual({ audio: codec })
    }
  })

  it('MP4 and WebM are 4:2:0, which every player and browser plays, even from a 4:4:4 source', async () => {
    const dir = tempDir()
    const full = await makeVideo(dir, 'screen.mp4', { pixelFormat: 'yuv444p' })
    for (const preset of ['mp4', 'webm'] as const) {
      const result = await runKind(mediaTranscode, { input: full, preset, outputDir: dir })
      const video = (await probe(result.outputs[0]!.path)).streams.find((stream) => stream.codec_type === 'video')
      expect(video).toMatchObject({ pix_fmt: 'yuv420p' })
    }
  })

  it('a cancelled conversion leaves no partial file, no temp file and no ffmpeg process', async () => {
    const dir = tempDir()
    const long = await makeVideo(dir, 'long.mp4', { seconds: 20, size: '640x480', rate: 25 })
    const ctx = fakeJobContext()
    const out = join(dir, 'out')
    const running = runKind(mediaTranscode, { input: long, preset: 'webm', outputDir: out }, ctx)
    await new Promise<void>((resolve) => {
      ctx.progress = (update) => {
        ctx.updates.push(update)
        if ((update.fraction ?? 0) > 0) resolve()
      }
    })
    const ffmpeg = ctx.children.at(-1)!
    expect(isAlive(ffmpeg.pid!)).toBe(true)
    ctx.controller.abort()
    expect((await expectRejection(running)).name).toBe('AbortError')
    expect(isAlive(ffmpeg.pid!)).toBe(false)
    expect(readdirSync(out)).toEqual([])
  })

  it('refuses a truncated video, a zero-byte file and a non-media file as INVALID_INPUT, with the reason', async () => {
    const dir = tempDir()
    const truncated = join(dir, 'truncated.mp4')
    copyFileSync(clip, truncated)
    truncateSync(truncated, 3000)
    const empty = join(dir, 'empty.mp4')
    writeFileSync(empty, '')
    const text = join(dir, 'notes.mp4')
    writeFileSync(text, 'this is not a video at all\n'.repeat(100))
    for (const [input, message] of [
      [truncated, 'is not a readable audio or video file'],
      [empty, 'is empty'],
      [text, 'is not a readable audio or video file'],
    ] as const) {
      const error = await expectRejection(runKind(mediaTranscode, { input, preset: 'mp4' }))
      expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(message) })
    }
    expect(readdirSync(dir).sort()).toEqual(['empty.mp4', 'notes.mp4', 'truncated.mp4'])
  })

  it('refuses a playlist that would lead ffmpeg to other files, and a video with no audio for audio presets', async () => {
    const dir = tempDir()
    const playlist = join(dir, 'list.m3u8')
    writeFileSync(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n${clip}\n#EXT-X-ENDLIST\n`)
    expect(
      await expectRejection(runKind(mediaTranscode, { input: playlist, preset: 'mp4', outputDir: dir })),
    ).toMatchObject({
      code: 'INVALID_INPUT',
    })
    const silent = join(dir, 'silent.gif')
    await runKind(mediaTranscode, { input: clip, preset: 'gif', nameTemplate: 'silent.gif', outputDir: dir })
    expect(await expectRejection(runKind(mediaTranscode, { input: silent, preset: 'mp3' }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The mp3 preset needs audio, and the input has none',
    })
    expect(readdirSync(dir).sort()).toEqual(['list.m3u8', 'silent.gif'])
  })

  it('keeps a name with newlines and non-Latin characters; a deleted input fails clearly', async () => {
    const dir = tempDir()
    const odd = join(dir, 'видео\n動画 -y.mp4')
    copyFileSync(clip, odd)
    const result = await runKind(mediaTranscode, { input: odd, preset: 'mp3' })
    expect(result.outputs[0]!.path).toBe(join(dir, 'видео\n動画 -y.mp3'))
    expect(codecs(await probe(result.outputs[0]!.path))).toEqual({ audio: 'mp3' })
    const queued = mediaTranscode.input.parse({ input: odd, preset: 'wav' })
    unlinkSync(odd)
    expect(await expectRejection(mediaTranscode.run(queued, fakeJobContext()))).toMatchObject({
      code: 'INVALID_INPUT',
      message: `${odd} no longer exists`,
    })
  })

  it('refuses URLs and ffmpeg protocols at submit', () => {
    for (const input of [
      'file:/etc/passwd',
      'https://example.com/v.mp4',
      'concat:/a.mp4|/b.mp4',
      'pipe:0',
      'subfile:,,start,0,end,0,,:/a.mp4',
      '-i',
      'clip.mp4',
    ]) {
      expect(mediaTranscode.input.safeParse({ input, preset: 'mp4' }).success, input).toBe(false)
    }
  })
})
