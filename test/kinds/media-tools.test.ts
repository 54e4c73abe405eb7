import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, missingFfmpegReason } from '../../src/main/jobs/tools/find-ffmpeg'
import { ffmpegProgressReader, type FfmpegProgress } from '../../src/main/jobs/tools/ffmpeg-progress'
import { parseHeader, probeMedia } from '../../src/main/jobs/tools/media-probe'
import { fakeJobContext } from '../support/fake-job-context'
import { makeVideo, systemFfmpeg } from '../support/media-fixtures'

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
  })

  it('reads duration and streams from the header of the bundled ffmpeg and of the one on PATH', async () => {
    for (const ffmpeg of [locateFfmpeg({ PATH: '' })!.path, systemFfmpeg]) {
      const info = await probeMedia(clip, ffmpeg, fakeJobContext())
      expect(info).toMatchObject({
        hasVideo: true,
        hasAudio: true,
        audioCodec: 'aac',
        formatName: expect.stringContaining('mp4'),
      })
      expect(info.durationSec).toBeCloseTo(1, 1)
    }
    const notMedia = join(dir, 'notes.mp4')
    writeFileSync(notMedia, 'plain words')
    await expect(probeMedia(notMedia, systemFfmpeg, fakeJobContext())).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it("takes no stream from the file's own metadata", () => {
    const header = [
      "Input #0, matroska,webm, from 'file:/music/a.mka':",
      '  Metadata:',
      '    title           : Stream #0:1: Video: h264',
      '                    : Stream #0:2: Video: h264',
      '    comment         : Stream #0:3: Subtitle: subrip',
      '  Duration: 00:01:02.50, start: 0.000000, bitrate: 63 kb/s',
      '  Stream #0:0(eng): Audio: vorbis, 44100 Hz, stereo, fltp',
    ].join('\n')
    expect(parseHeader(header)).toEqual({
      durationSec: 62.5,
      formatName: 'matroska,webm',
      hasVideo: false,
      hasAudio: true,
      audioCodec: 'vorbis',
      subtitleCodecs: [],
    })
    expect(parseHeader('file:/x.mp4: Invalid data found when processing input')).toBeUndefined()
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
