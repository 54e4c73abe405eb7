import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'

const run = promisify(execFile)

/** Test fixtures are made by the system's ffmpeg and ffprobe (CI installs them), independent of the kind's own. */
export const systemFfmpeg = process.env.TEST_FFMPEG ?? 'ffmpeg'
export const systemFfprobe = process.env.TEST_FFPROBE ?? 'ffprobe'

/** A small gradient-ish image drawn by sharp. */
export async function makeImage(
  dir: string,
  name: string,
  options: { width?: number; height?: number; format?: 'png' | 'jpeg' } = {},
): Promise<string> {
  const { width = 64, height = 48, format = 'png' } = options
  const path = join(dir, name)
  await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .composite([
      {
        input: Buffer.from([0, 0, 255]),
        raw: { width: 1, height: 1, channels: 3 },
        tile: true,
        blend: 'add',
        top: 0,
        left: 0,
      },
    ])
    .toFormat(format)
    .toFile(path)
  return path
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A PNG that declares `size`×`size` pixels in a few hundred bytes: what a decompression bomb looks like. */
export function makePngBomb(dir: string, name: string, size = 20_000): string {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  const firstRows = deflateSync(Buffer.alloc((size * 3 + 1) * 4))
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', firstRows),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
  const path = join(dir, name)
  writeFileSync(path, png)
  return path
}

/** A short test-pattern video with a tone, from ffmpeg's lavfi sources (H.264 + AAC, in a container by name). */
export async function makeVideo(
  dir: string,
  name: string,
  options: { seconds?: number; size?: string; rate?: number; pixelFormat?: string; audioCodec?: string } = {},
): Promise<string> {
  const { seconds = 1, size = '160x120', rate = 15, pixelFormat = 'yuv420p', audioCodec = 'aac' } = options
  const path = join(dir, name)
  await run(systemFfmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...[
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=${rate}`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
    ],
    ...[
      '-t',
      String(seconds),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      pixelFormat,
      '-c:a',
      audioCodec,
      '-shortest',
      path,
    ],
  ])
  return path
}

export interface Probed {
  durationSec: number
  formatName: string
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string }[]
}

export async function probe(path: string): Promise<Probed> {
  const { stdout } = await run(systemFfprobe, [
    ...[
      '-v',
      'error',
      '-show_entries',
      'format=duration,format_name:stream=codec_type,codec_name,width,height,pix_fmt',
    ],
    ...['-of', 'json', `file:${path}`],
  ])
  const parsed = JSON.parse(stdout) as { format: { duration: string; format_name: string }; streams: Probed['streams'] }
  return { durationSec: Number(parsed.format.duration), formatName: parsed.format.format_name, streams: parsed.streams }
}

/** `video` with a subtitle stream per language muxed in, each from a generated .srt: a film with its subtitles. */
export async function withSubtitles(video: string, dir: string, name: string, languages: string[]): Promise<string> {
  const srts = languages.map((language, n) => {
    const srt = join(dir, `${language}.srt`)
    writeFileSync(
      srt,
      `1\n00:00:00,000 --> 00:00:00,900\nLine ${n + 1} (${language})\n\n2\n00:00:01,000 --> 00:00:01,800\nEnd\n`,
    )
    return srt
  })
  const path = join(dir, name)
  await run(systemFfmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', video],
    ...srts.flatMap((srt) => ['-i', srt]),
    ...['-map', '0', ...srts.flatMap((_, n) => ['-map', String(n + 1)]), '-c', 'copy', '-c:s', 'srt'],
    ...languages.flatMap((language, n) => [`-metadata:s:s:${n}`, `language=${language}`]),
    path,
  ])
  return path
}
