import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, locateFfprobe, missingFfmpegReason } from '../../src/main/jobs/tools/find-ffmpeg'
import { ffmpegProgressReader, type FfmpegProgress } from '../../src/main/jobs/tools/ffmpeg-progress'
import { probeMedia } from '../../src/main/jobs/tools/media-probe'
import { fakeJobContext } from '../support/fake-job-context'
import { makeVideo } from '../support/media-fixtures'

describe('finding ffmpeg and reading what it says', () => {
  let dir: string
  let clip: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spool-tools-'))
    clip = await makeVideo(dir, 'clip.mp4', { seconds: 1 })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('prefers FFMPEG_PATH, then the bundled binary, then PATH; says why when none is usable', () => {
    expect(locateFfmpeg({ FFMPEG_PATH: '/usr/bin/ffmpeg' })).toEqual({ path: '/usr/bin/ffmpeg', source: 'env' })
    expect(locateFfmpeg({ FFMPEG_PATH: join(dir, 'nope') })).toBeUndefined()
    expect(missingFfmpegReason({ FFMPEG_PATH: join(dir, 'nope') })).toContain('not an executable file')
    expect(locateFfmpeg({ PATH: '' })?.source).toBe('bundled')
    const bundled = locateFfmpeg({ PATH: '' })!
    // The bundled build ships no ffprobe: the one on PATH is used, or none (the header is read instead).
    expect(locateFfprobe(bundled, { PATH: '/usr/bin' })).toEqual({ path: '/usr/bin/ffprobe', source: 'path' })
    expect(locateFfprobe(bundled, { PATH: '' })).toBeUndefined()
    expect(locateFfprobe({ path: '/usr/bin/ffmpeg', source: 'path' }, { PATH: '' })?.source).toBe('beside-ffmpeg')
  })

  it('without ffprobe, reads duration and streams from the ffmpeg header', async () => {
    const ffmpeg = locateFfmpeg({ PATH: '' })!
    const info = await probeMedia(clip, { ffmpeg }, fakeJobContext())
    expect(info).toMatchObject({
      hasVideo: true,
      hasAudio: true,
      audioCodec: 'aac',
      formatName: expect.stringContaining('mp4'),
    })
    expect(info.durationSec).toBeCloseTo(1, 1)
    const notMedia = join(dir, 'notes.mp4')
    writeFileSync(notMedia, 'plain words')
    await expect(probeMedia(notMedia, { ffmpeg }, fakeJobContext())).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('parses -progress blocks from old and new ffmpeg builds', () => {
    const seen: FfmpegProgress[] = []
    const read = ffmpegProgressReader((progress) => seen.push(progress))
    for (const line of [
      'out_time_ms=1500000',
      'speed=2.5x',
      'progress=continue',
      'out_time_us=N/A',
      'out_time=00:00:03.250000',
      'speed=N/A',
      'progress=end',
    ]) {
      read(line)
    }
    expect(seen).toEqual([
      { outSeconds: 1.5, speed: 2.5, done: false },
      { outSeconds: 3.25, done: true },
    ])
  })
})
