import { SpoolError } from '../../../shared/errors'
import type { JobContext } from '../define-job'
import { runTool } from './run-tool'

export interface MediaInfo {
  /** Seconds; undefined when the container does not say (a live-style stream). */
  durationSec?: number
  formatName: string
  hasVideo: boolean
  hasAudio: boolean
  audioCodec?: string
  /** The codec of each subtitle stream, in order: the n-th is ffmpeg's `0:s:n`. */
  subtitleCodecs: string[]
}

/** Demuxers that read other files or URLs named inside the input: a plain file must not lead elsewhere. */
const playlistFormats = new Set(['hls', 'applehttp', 'concat', 'dash', 'ffconcat'])
/** Room for a header with many streams, chapters and tags. */
const headerChars = 1 << 20

/**
 * What ffmpeg should know before it starts: refuses what is not a readable, self-contained media file.
 * Read from the header `ffmpeg -i` prints, by the ffmpeg that will convert: a separate ffprobe (often a
 * dynamically linked build) can take longer to start than the header takes to read.
 */
export async function probeMedia(
  input: string,
  ffmpeg: string,
  ctx: Pick<JobContext, 'spawn' | 'signal'>,
): Promise<MediaInfo> {
  // With no output named, ffmpeg prints the input's header and exits 1.
  const args = ['-hide_banner', '-nostdin', '-protocol_whitelist', 'file', '-i', `file:${input}`]
  const run = await runTool(ctx, ffmpeg, args, { stderrChars: headerChars })
  ctx.signal.throwIfAborted()
  const info = parseHeader(run.stderrTail)
  if (!info) {
    const reason = run.stderrTail.split('\n').filter(Boolean).pop() ?? 'unknown format'
    throw new SpoolError('INVALID_INPUT', `${input} is not a readable audio or video file: ${reason}`, {
      stderrTail: run.stderrTail,
    })
  }
  if (info.formatName.split(',').some((name) => playlistFormats.has(name))) {
    throw new SpoolError(
      'INVALID_INPUT',
      `${input} is a playlist (${info.formatName}); convert the media files it lists instead`,
    )
  }
  if (!info.hasVideo && !info.hasAudio) throw new SpoolError('INVALID_INPUT', `${input} has no audio or video`)
  return info
}

/**
 * The facts of the first input in ffmpeg's header. Lines are matched from their start: the file's own metadata
 * (a title, a comment, even one spanning lines) is printed after a key and a colon, so it cannot pose as a stream.
 */
export function parseHeader(header: string): MediaInfo | undefined {
  const format = /^Input #0, (.+?), from /m.exec(header)
  if (!format) return undefined
  const duration = /^[ \t]+Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/m.exec(header)
  const audio = /^[ \t]+Stream #0:\d+\S*: Audio: (\w+)/m.exec(header)
  return {
    ...(duration && { durationSec: Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) }),
    formatName: format[1] ?? 'unknown',
    // Cover art in an MP3 or M4A is a one-picture "video" stream: the audio is all there is to play.
    hasVideo: /^[ \t]+Stream #0:\d+\S*: Video: (?!.*\(attached pic\)$)/m.test(header),
    hasAudio: Boolean(audio),
    ...(audio?.[1] && { audioCodec: audio[1] }),
    subtitleCodecs: [...header.matchAll(/^[ \t]+Stream #0:\d+\S*: Subtitle: (\w+)/gm)].map((match) => match[1] ?? ''),
  }
}
