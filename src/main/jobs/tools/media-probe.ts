import { SpoolError } from '../../../shared/errors'
import type { JobContext } from '../define-job'
import type { MediaTools } from './find-ffmpeg'
import { runTool } from './run-tool'

export interface MediaInfo {
  /** Seconds; undefined when the container does not say (a live-style stream). */
  durationSec?: number
  formatName: string
  hasVideo: boolean
  hasAudio: boolean
  audioCodec?: string
}

/** Demuxers that read other files or URLs named inside the input: a plain file must not lead elsewhere. */
const playlistFormats = new Set(['hls', 'applehttp', 'concat', 'dash', 'ffconcat'])

/** What ffmpeg should know before it starts: refuses what is not a readable, self-contained media file. */
export async function probeMedia(
  input: string,
  tools: MediaTools & { ffmpeg: { path: string } },
  ctx: Pick<JobContext, 'spawn' | 'signal'>,
): Promise<MediaInfo> {
  const info = tools.ffprobe
    ? await viaFfprobe(input, tools.ffprobe.path, ctx)
    : await viaHeader(input, tools.ffmpeg.path, ctx)
  if (info.formatName.split(',').some((name) => playlistFormats.has(name))) {
    throw new SpoolError(
      'INVALID_INPUT',
      `${input} is a playlist (${info.formatName}); convert the media files it lists instead`,
    )
  }
  if (!info.hasVideo && !info.hasAudio) throw new SpoolError('INVALID_INPUT', `${input} has no audio or video`)
  return info
}

function unreadable(input: string, stderrTail: string): SpoolError {
  const reason = stderrTail.split('\n').filter(Boolean).pop() ?? 'unknown format'
  return new SpoolError('INVALID_INPUT', `${input} is not a readable audio or video file: ${reason}`, { stderrTail })
}

async function viaFfprobe(input: string, ffprobe: string, ctx: Pick<JobContext, 'spawn' | 'signal'>) {
  const args = [
    '-v',
    'error',
    '-protocol_whitelist',
    'file',
    '-show_entries',
    'format=duration,format_name:stream=codec_type,codec_name',
  ]
  const run = await runTool(ctx, ffprobe, [...args, '-of', 'json', `file:${input}`])
  ctx.signal.throwIfAborted()
  if (run.code !== 0) throw unreadable(input, run.stderrTail)
  const parsed = JSON.parse(run.stdout) as {
    format?: { duration?: string; format_name?: string }
    streams?: { codec_type?: string; codec_name?: string }[]
  }
  const streams = parsed.streams ?? []
  const duration = Number.parseFloat(parsed.format?.duration ?? '')
  const audio = streams.find((stream) => stream.codec_type === 'audio')
  return {
    ...(Number.isFinite(duration) && { durationSec: duration }),
    formatName: parsed.format?.format_name ?? 'unknown',
    hasVideo: streams.some((stream) => stream.codec_type === 'video'),
    hasAudio: Boolean(audio),
    ...(audio?.codec_name && { audioCodec: audio.codec_name }),
  }
}

/** Without ffprobe, `ffmpeg -i` prints the same facts in its header (and exits 1: no output was named). */
async function viaHeader(input: string, ffmpeg: string, ctx: Pick<JobContext, 'spawn' | 'signal'>): Promise<MediaInfo> {
  const run = await runTool(ctx, ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-protocol_whitelist',
    'file',
    '-i',
    `file:${input}`,
  ])
  ctx.signal.throwIfAborted()
  const header = run.stderrTail
  const format = /^Input #0, (.+?), from /m.exec(header)
  if (!format) throw unreadable(input, header)
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(header)
  const audio = /Stream #0:\d+.*?: Audio: (\w+)/.exec(header)
  return {
    ...(duration && { durationSec: Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) }),
    formatName: format[1] ?? 'unknown',
    hasVideo: /Stream #0:\d+.*?: Video: /.test(header),
    hasAudio: Boolean(audio),
    ...(audio?.[1] && { audioCodec: audio[1] }),
  }
}
