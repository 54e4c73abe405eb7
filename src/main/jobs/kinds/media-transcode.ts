import { basename } from 'node:path'
import { z } from 'zod'
import { SpoolError } from '../../../shared/errors'
import { defineJob, type JobContext } from '../define-job'
import { checkInputFile, inputFilePath } from '../outputs/input-file'
import { ensureFreeSpace } from '../outputs/free-space'
import { outputFields } from '../outputs/output-options'
import { outputFolder, renderName, splitName } from '../outputs/output-name'
import { StagedOutputs, type StagedFile } from '../outputs/staged-outputs'
import { ffmpegProgressReader } from '../tools/ffmpeg-progress'
import { mediaTools, missingFfmpegReason } from '../tools/find-ffmpeg'
import { probeMedia } from '../tools/media-probe'
import { runTool } from '../tools/run-tool'
import { mediaPresetNames, planPreset } from './media-presets'
import { shownName } from './shown-name'

const dimension = z.number().int().min(16).max(16_384)

/** How each preset reads in a form. */
const presetLabels: Record<(typeof mediaPresetNames)[number], string> = {
  mp4: 'MP4 video (H.264 + AAC)',
  webm: 'WebM video (VP9 + Opus)',
  mp3: 'MP3 audio',
  opus: 'Opus audio',
  wav: 'WAV audio (uncompressed)',
  flac: 'FLAC audio (lossless)',
  'extract-audio': 'Extract the audio as it is',
  gif: 'Animated GIF',
}

/** The preset's name in a job's label: "clip.mp4 → MP3". */
const presetShortNames: Record<(typeof mediaPresetNames)[number], string> = {
  mp4: 'MP4',
  webm: 'WebM',
  mp3: 'MP3',
  opus: 'Opus',
  wav: 'WAV',
  flac: 'FLAC',
  'extract-audio': 'audio track',
  gif: 'GIF',
}

const mediaInput = z.strictObject({
  input: inputFilePath,
  preset: z.enum(mediaPresetNames).meta({ optionLabels: presetLabels }),
  /** Trim: seconds into the input to start at, and how many seconds to keep. */
  start: z.number().min(0).optional().meta({ title: 'Start at (s)', description: 'Seconds into the input' }),
  duration: z.number().positive().optional().meta({ title: 'Length (s)', description: 'Empty: to the end' }),
  /** Output size for video presets; give one side to keep the aspect ratio. */
  scale: z
    .strictObject({
      width: dimension.optional().meta({ title: 'Width (px)' }),
      height: dimension.optional().meta({ title: 'Height (px)', description: 'Give one side to keep the shape' }),
    })
    .optional()
    .meta({ title: 'Scale to' }),
  ...outputFields,
})

type MediaInput = z.output<typeof mediaInput>

/** How long the output will be, so progress can be a fraction of it. */
function outputSeconds(input: MediaInput, probed: number | undefined): number | undefined {
  const rest = probed === undefined ? undefined : Math.max(0, probed - (input.start ?? 0))
  if (rest === undefined) return input.duration
  return input.duration === undefined ? rest : Math.min(rest, input.duration)
}

export const mediaTranscode = defineJob({
  kind: 'media.transcode',
  title: 'Convert audio or video',
  description: 'MP4, WebM, MP3, Opus, WAV, FLAC, audio extraction or an animated GIF, with optional trim and scale.',
  input: mediaInput,
  accepts: [
    'mp4',
    'mkv',
    'mov',
    'webm',
    'avi',
    'm4v',
    'mpg',
    'ts',
    'mp3',
    'wav',
    'flac',
    'ogg',
    'opus',
    'm4a',
    'aac',
    'gif',
  ],
  label: (input) => `${shownName(input.input)} → ${presetShortNames[input.preset]}`,
  paths: (input) => ({ read: [input.input], write: [outputFolder(input.input, input.outputDir)] }),
  available() {
    return mediaTools().ffmpeg ? { available: true } : { available: false, reason: missingFfmpegReason() }
  },
  async run(input, ctx) {
    const ffmpeg = mediaTools().ffmpeg
    if (!ffmpeg) throw new SpoolError('UNAVAILABLE', missingFfmpegReason())
    const size = await checkInputFile(input.input)
    const info = await probeMedia(input.input, ffmpeg.path, ctx)
    // ffmpeg would write a file with nothing in it, which players refuse, and call it a success.
    if (input.start !== undefined && info.durationSec !== undefined && input.start >= info.durationSec) {
      throw new SpoolError(
        'INVALID_INPUT',
        `Start at ${input.start} s is past the end of ${basename(input.input)}, which is ${info.durationSec} s long`,
      )
    }
    const plan = planPreset(input.preset, info, { scale: input.scale })
    if (plan.droppedSubtitles > 0) {
      const streams =
        plan.droppedSubtitles === 1 ? '1 subtitle stream was' : `${plan.droppedSubtitles} subtitle streams were`
      const why = ['mp4', 'webm'].includes(input.preset) ? ' (only text subtitles can be, not pictures)' : ''
      ctx.log(`${streams} not carried into the ${presetShortNames[input.preset]}${why}`)
    }
    const folder = outputFolder(input.input, input.outputDir)
    const fileName = renderName(input.nameTemplate ?? '{name}.{ext}', {
      ...splitName(input.input),
      ext: plan.ext,
      preset: input.preset,
    })
    // WAV and FLAC can be several times larger than a compressed source.
    await ensureFreeSpace(folder, size * (['wav', 'flac'].includes(input.preset) ? 10 : 2))
    const outputs = new StagedOutputs(input.collision, ctx.outputs)
    try {
      const staged = await outputs.stage(folder, fileName)
      if (staged) await transcode(input, plan.args, staged, outputSeconds(input, info.durationSec), ffmpeg.path, ctx)
      return { outputs: await outputs.commit(ctx.signal), skipped: outputs.skipped }
    } finally {
      await outputs.discard()
    }
  },
})

/**
 * ffmpeg writes the staged file through the descriptor Spool opened, handed over as its fd 3: opening
 * `/dev/fd/3` reaches that same file whatever the temporary name points at by then. Windows has no such path
 * (and a symlink there needs rights a user rarely has), so ffmpeg opens the name.
 */
function outputTarget(output: StagedFile): string {
  return process.platform === 'win32' ? `file:${output.tmpPath}` : 'file:/dev/fd/3'
}

async function transcode(
  input: MediaInput,
  presetArgs: string[],
  output: StagedFile,
  totalSeconds: number | undefined,
  ffmpeg: string,
  ctx: JobContext,
): Promise<void> {
  const trimArgs = [
    ...(input.start !== undefined ? ['-ss', String(input.start)] : []),
    ...(input.duration !== undefined ? ['-t', String(input.duration)] : []),
  ]
  const args = [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats'],
    // Only local files, whatever the input names inside it; `file:` keeps odd names from reading as options.
    ...['-protocol_whitelist', 'file', ...trimArgs, '-i', `file:${input.input}`],
    ...presetArgs,
    outputTarget(output),
  ]
  ctx.log(`ffmpeg ${input.preset}: ${basename(input.input)}`)
  const run = await runTool(ctx, ffmpeg, args, {
    ...(process.platform !== 'win32' && { fds: [output.handle.fd] }),
    onLine: ffmpegProgressReader(({ outSeconds, speed, done }) => {
      const fraction = done ? 1 : totalSeconds ? Math.min(0.999, outSeconds / totalSeconds) : null
      const speedText = speed !== undefined ? `${speed.toFixed(1)}× realtime` : undefined
      ctx.progress({
        fraction,
        done: Math.round(outSeconds * 10) / 10,
        ...(totalSeconds && { total: Math.round(totalSeconds * 10) / 10 }),
        unit: 's',
        ...(speedText && { message: speedText }),
      })
    }),
  })
  ctx.signal.throwIfAborted()
  if (run.code !== 0) {
    // ffmpeg names the output as it was handed over; the user knows the folder and the name being written.
    const stderrTail = run.stderrTail.replaceAll(outputTarget(output), output.tmpPath)
    const reason = stderrTail.split('\n').filter(Boolean).pop() ?? `exit code ${run.code ?? run.signal}`
    if (/No space left on device/i.test(stderrTail)) {
      throw new SpoolError('DISK_FULL', `The disk is full: ${reason}`)
    }
    // Older ffmpeg builds do not mark cover art in the header: a song's picture is found out here, with no video to map.
    if (/Stream map '0:V:0' matches no streams/.test(stderrTail)) {
      throw new SpoolError('INVALID_INPUT', `The ${input.preset} preset needs video, and the input has none`)
    }
    // A file that probes well can still be damaged further in.
    if (/Invalid data found|moov atom not found|corrupt|Error while decoding/i.test(stderrTail)) {
      throw new SpoolError('INVALID_INPUT', `${input.input} is damaged: ${reason}`, { stderrTail })
    }
    throw new SpoolError('HANDLER_ERROR', `ffmpeg failed: ${reason}`, {
      stderrTail,
      exitCode: run.code,
    })
  }
}
