import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { Job } from '../../src/shared/job'
import { parseHeader } from '../../src/main/jobs/tools/media-probe'
import { probe, systemFfmpeg } from '../support/media-fixtures'
import { useSpool } from '../support/test-spool'
import { useTempDir } from '../support/temp-dir'

const ffmpeg = (args: string[]) =>
  promisify(execFile)(systemFfmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args])

const outputOf = (job: Job) => (job.result as { outputs: { path: string }[] }).outputs[0]!.path

describe('media.transcode of the files people have', () => {
  const tempDir = useTempDir()
  const open = useSpool()

  it('an MP3 with cover art converts to MP4, Opus and a GIF refusal like any song; the picture is not a video', async () => {
    const dir = tempDir()
    const song = join(dir, 'song.mp3')
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'libmp3lame', join(dir, 'plain.mp3')])
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x64', '-frames:v', '1', join(dir, 'cover.png')])
    await ffmpeg([
      ...['-i', join(dir, 'plain.mp3'), '-i', join(dir, 'cover.png'), '-map', '0', '-map', '1'],
      ...['-c:a', 'copy', '-c:v', 'mjpeg', '-disposition:v', 'attached_pic', song],
    ])
    const { spool } = await open({ roots: [dir] })
    const ids = await spool.submit(
      (['mp4', 'opus', 'gif'] as const).map((preset) => ({ kind: 'media.transcode', input: { input: song, preset } })),
    )
    const [mp4, opus, gif] = await Promise.all(ids.map((id) => spool.wait(id)))
    expect(mp4).toMatchObject({ state: 'succeeded' })
    expect((await probe(outputOf(mp4!))).streams.map((stream) => stream.codec_name)).toEqual(['aac'])
    expect(opus).toMatchObject({ state: 'succeeded' })
    expect((await probe(outputOf(opus!))).durationSec).toBeGreaterThan(1.9)
    expect(gif).toMatchObject({ state: 'failed', error: { code: 'INVALID_INPUT', message: /needs video/ } })
  })

  it('reads cover art as no video from the header, and a real video after it as video', () => {
    const header = (streams: string) =>
      `Input #0, mp3, from 'file:song.mp3':\n  Duration: 00:00:02.04, start: 0.0\n${streams}`
    const cover =
      '  Stream #0:1: Video: mjpeg (Baseline), yuvj444p(pc), 64x64 [SAR 1:1 DAR 1:1], 90k tbr (attached pic)\n'
    const audio = '  Stream #0:0: Audio: mp3, 44100 Hz, mono, fltp, 64 kb/s\n'
    expect(parseHeader(header(audio + cover))).toMatchObject({ hasVideo: false, hasAudio: true })
    const video = '  Stream #0:2: Video: h264 (High), yuv420p, 160x120, 15 fps\n'
    expect(parseHeader(header(audio + cover + video))).toMatchObject({ hasVideo: true })
  })

  it('a video of odd width and height, or an odd size asked for, comes out as H.264 and VP9 of even size', async () => {
    const dir = tempDir()
    const odd = join(dir, 'window.mkv')
    await ffmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=15:duration=1', '-vf', 'scale=161:121'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv444p', odd],
    ])
    const { spool } = await open({ roots: [dir] })
    const specs = [
      { preset: 'mp4', nameTemplate: 'as-is.{ext}' },
      { preset: 'webm', nameTemplate: 'as-is.{ext}' },
      { preset: 'mp4', scale: { width: 101 }, nameTemplate: 'narrow.{ext}' },
      { preset: 'mp4', scale: { width: 101, height: 75 }, nameTemplate: 'box.{ext}' },
    ]
    const ids = await spool.submit(specs.map((spec) => ({ kind: 'media.transcode', input: { input: odd, ...spec } })))
    const sizes = []
    for (const id of ids) {
      const job = await spool.wait(id)
      expect(job, JSON.stringify(job.error)).toMatchObject({ state: 'succeeded' })
      const [video] = (await probe(outputOf(job))).streams
      sizes.push(`${video!.codec_name} ${video!.width}×${video!.height}`)
    }
    expect(sizes).toEqual(['h264 160×120', 'vp9 160×120', 'h264 100×76', 'h264 100×74'])
  })

  it('a start past the end of the input is refused with the lengths, and writes nothing', async () => {
    const dir = tempDir()
    const song = join(dir, 'song.mp3')
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'libmp3lame', song])
    const { spool } = await open({ roots: [dir] })
    const [past, inside] = await spool.submit([
      { kind: 'media.transcode', input: { input: song, preset: 'opus', start: 10 } },
      { kind: 'media.transcode', input: { input: song, preset: 'wav', start: 1 } },
    ])
    expect(await spool.wait(past!)).toMatchObject({
      state: 'failed',
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/10 s is past the end of song\.mp3, which is 2\.\d+ s long/),
      },
    })
    const trimmed = await spool.wait(inside!)
    expect((await probe(outputOf(trimmed))).durationSec).toBeCloseTo(1.04, 1)
    expect(readdirSync(dir).sort()).toEqual(['song.mp3', 'song.wav'])
  })
})
