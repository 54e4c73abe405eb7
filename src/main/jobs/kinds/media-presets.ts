import { SpoolError } from '../../../shared/errors'
import type { MediaInfo } from '../tools/media-probe'

export const mediaPresetNames = ['mp4', 'webm', 'mp3', 'opus', 'wav', 'flac', 'extract-audio', 'gif'] as const
export type MediaPresetName = (typeof mediaPresetNames)[number]

export interface PresetPlan {
  /** The output's extension, for `{ext}`. */
  ext: string
  /** Codec, filter and muxer arguments; the muxer is always named, as the temp file's name says nothing. */
  args: string[]
  /** Subtitle streams of the input the output does not carry: the user is told. */
  droppedSubtitles: number
}

export interface PresetOptions {
  scale?: { width?: number | undefined; height?: number | undefined } | undefined
}

const audioOnly = { mp3: 'mp3', opus: 'opus', wav: 'wav', flac: 'flac' } as const

/** H.264 and VP9 in 4:2:0 need an even width and height: an odd one asked for or given is rounded down. */
const even = (size: number) => size - (size % 2)

/**
 * `-2` keeps the aspect ratio and an even size. `maxWidth` applies when no size is asked for: wider inputs
 * shrink to it, narrower ones keep their size.
 */
function scaleFilter(scale: PresetOptions['scale'], maxWidth?: number): string | undefined {
  if (!scale?.width && !scale?.height) return maxWidth ? `scale='min(${maxWidth},iw)':-2` : undefined
  return `scale=${scale.width ? even(scale.width) : -2}:${scale.height ? even(scale.height) : -2}`
}

/** A video's own odd size (a screen recording of a window) is made even too; an even one passes through untouched. */
const evenSize = 'scale=trunc(iw/2)*2:trunc(ih/2)*2'

// Copying the audio as it is needs a container that takes its codec, and that players open; Matroska
// audio (.mka) takes any codec, for the rest.
const audioContainers: Record<string, { ext: string; muxer: string }> = {
  aac: { ext: 'm4a', muxer: 'ipod' },
  alac: { ext: 'm4a', muxer: 'ipod' },
  mp3: { ext: 'mp3', muxer: 'mp3' },
  opus: { ext: 'opus', muxer: 'ogg' },
  vorbis: { ext: 'ogg', muxer: 'ogg' },
  flac: { ext: 'flac', muxer: 'flac' },
  // Cameras and recorders store uncompressed audio.
  pcm_s16le: { ext: 'wav', muxer: 'wav' },
  pcm_s24le: { ext: 'wav', muxer: 'wav' },
  pcm_s32le: { ext: 'wav', muxer: 'wav' },
  pcm_f32le: { ext: 'wav', muxer: 'wav' },
  pcm_u8: { ext: 'wav', muxer: 'wav' },
}

/** Subtitles stored as text, which MP4 (as mov_text) and WebM (as WebVTT) take; pictures (DVD, Blu-ray) they cannot. */
const textSubtitles = new Set([
  'subrip',
  'srt',
  'ass',
  'ssa',
  'mov_text',
  'webvtt',
  'text',
  'microdvd',
  'subviewer',
  'sami',
])

/** Keeps the input's text subtitles in a video output, converted to `codec`; pictures are left out. */
function subtitleArgs(info: MediaInfo, codec: string): { args: string[]; dropped: number } {
  const kept = info.subtitleCodecs.flatMap((name, n) => (textSubtitles.has(name) ? ['-map', `0:s:${n}`] : []))
  const dropped = info.subtitleCodecs.length - kept.length / 2
  return { args: kept.length > 0 ? [...kept, '-c:s', codec] : [], dropped }
}

/** The ffmpeg arguments people mean by each preset, checked against what the input holds. */
export function planPreset(preset: MediaPresetName, info: MediaInfo, options: PresetOptions): PresetPlan {
  const plan = planStreams(preset, info, options)
  if (preset !== 'mp4' && preset !== 'webm') return { ...plan, droppedSubtitles: info.subtitleCodecs.length }
  const subtitles = subtitleArgs(info, preset === 'mp4' ? 'mov_text' : 'webvtt')
  // Before the muxer, which closes the arguments.
  const args = [...plan.args.slice(0, -2), ...subtitles.args, ...plan.args.slice(-2)]
  return { ext: plan.ext, args, droppedSubtitles: subtitles.dropped }
}

function planStreams(
  preset: MediaPresetName,
  info: MediaInfo,
  options: PresetOptions,
): Omit<PresetPlan, 'droppedSubtitles'> {
  const needs = (what: 'audio' | 'video') => {
    if (what === 'audio' ? !info.hasAudio : !info.hasVideo) {
      throw new SpoolError('INVALID_INPUT', `The ${preset} preset needs ${what}, and the input has none`)
    }
  }
  const videoFilter = () => ['-vf', scaleFilter(options.scale) ?? evenSize]
  // `V`: a video that plays, not cover art (an MP3's picture), which would make a one-frame video of the song.
  const streams = ['-map', '0:V:0?', '-map', '0:a:0?']
  switch (preset) {
    case 'mp4':
      return {
        ext: 'mp4',
        args: [
          ...streams,
          ...videoFilter(),
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '23',
          '-pix_fmt',
          'yuv420p',
          '-c:a',
          'aac',
          '-b:a',
          '160k',
          '-movflags',
          '+faststart',
          '-f',
          'mp4',
        ],
      }
    case 'webm':
      return {
        ext: 'webm',
        args: [
          ...streams,
          ...videoFilter(),
          '-c:v',
          'libvpx-vp9',
          '-crf',
          '33',
          '-b:v',
          '0',
          '-deadline',
          'good',
          '-cpu-used',
          '4',
          '-row-mt',
          '1',
          // 4:2:0, as for MP4: VP9 keeps a 4:4:4 source's format otherwise, which few browsers and devices play.
          '-pix_fmt',
          'yuv420p',
          '-c:a',
          'libopus',
          '-b:a',
          '128k',
          '-f',
          'webm',
        ],
      }
    case 'gif': {
      needs('video')
      const scale = scaleFilter(options.scale, 480)
      // A palette made from the clip itself: the default 256-colour web palette bands badly.
      const filter = `fps=12,${scale}:flags=lanczos,split[a][b];[a]palettegen[p];[b][p]paletteuse`
      return { ext: 'gif', args: ['-map', '0:V:0', '-an', '-vf', filter, '-loop', '0', '-f', 'gif'] }
    }
    case 'extract-audio': {
      needs('audio')
      const container = audioContainers[info.audioCodec ?? ''] ?? { ext: 'mka', muxer: 'matroska' }
      return { ext: container.ext, args: ['-map', '0:a:0', '-vn', '-c:a', 'copy', '-f', container.muxer] }
    }
    default: {
      needs('audio')
      const codec = {
        mp3: ['-c:a', 'libmp3lame', '-q:a', '2', '-f', 'mp3'],
        opus: ['-c:a', 'libopus', '-b:a', '128k', '-f', 'ogg'],
        wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
        flac: ['-c:a', 'flac', '-f', 'flac'],
      }[preset]
      return { ext: audioOnly[preset], args: ['-map', '0:a:0', '-vn', ...codec] }
    }
  }
}
