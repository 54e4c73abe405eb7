import { basename } from 'node:path'
import type { Sharp } from 'sharp'
import { z } from 'zod'
import { SpoolError } from '../../../shared/errors'
import { defineJob, type JobContext } from '../define-job'
import { checkInputFile, inputFilePath } from '../outputs/input-file'
import { ensureFreeSpace } from '../outputs/free-space'
import { outputError } from '../outputs/output-errors'
import { outputFields } from '../outputs/output-options'
import { outputFolder, renderName, splitName } from '../outputs/output-name'
import { StagedOutputs } from '../outputs/staged-outputs'
import { readImageSource, type ImageSource } from './image-source'
import { shownName } from './shown-name'

/** sharp's own default (0x3FFF × 0x3FFF): larger images are refused before they are decoded. */
export const defaultPixelLimit = 268_402_689

const imageFormats = ['jpeg', 'png', 'webp', 'avif', 'tiff'] as const
const formatNames: Record<(typeof imageFormats)[number], string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  avif: 'AVIF',
  tiff: 'TIFF',
}
const formatExt = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', tiff: 'tiff' } as const
const dimension = z.number().int().min(1).max(65_535)

const imageInput = z.strictObject({
  inputs: z.array(inputFilePath).min(1).max(10_000),
  format: z.enum(imageFormats).meta({ optionLabels: formatNames }),
  width: dimension.optional().meta({ title: 'Width (px)' }),
  height: dimension.optional().meta({ title: 'Height (px)', description: 'Give one side to keep the shape' }),
  /** How to fit both width and height: crop (`cover`), letterbox (`contain`), stretch (`fill`), or stay within. */
  fit: z
    .enum(['cover', 'contain', 'fill', 'inside', 'outside'])
    .default('inside')
    .meta({
      title: 'Fit',
      description: 'When both width and height are given',
      optionLabels: {
        inside: 'Fit within, keep shape',
        outside: 'Cover, keep shape',
        cover: 'Fill, crop the rest',
        contain: 'Fit within, add bars',
        fill: 'Stretch to fill',
      },
    }),
  /** JPEG, WebP and AVIF (1–100); PNG and TIFF are lossless and need none. */
  quality: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .meta({ title: 'Quality (1–100)', description: "JPEG, WebP and AVIF; empty: the format's own default" }),
  keepMetadata: z.boolean().default(false),
  /** Turns the pixels upright by the EXIF orientation, as viewers show them. */
  autorotate: z.boolean().default(true),
  maxInputPixels: z
    .number()
    .int()
    .min(1)
    .max(defaultPixelLimit * 4)
    .default(defaultPixelLimit),
  ...outputFields,
})

export type ImageInput = z.output<typeof imageInput>

const readableFormats = 'JPEG, PNG, WebP, GIF, TIFF, AVIF or SVG'

/** sharp's messages for input it cannot or will not read; anything with an errno is about the output. */
function imageError(error: unknown, path: string, folder: string): unknown {
  const err = error as NodeJS.ErrnoException
  if (err instanceof SpoolError || err?.code) return outputError(err, folder)
  const message = err instanceof Error ? err.message : String(err)
  if (/pixel limit/i.test(message)) {
    return new SpoolError('INVALID_INPUT', `${path} is too large to convert safely (${message})`)
  }
  // sharp names its own plumbing ("Input buffer contains unsupported image format"); the user needs the formats.
  if (/unsupported image format/i.test(message)) {
    return new SpoolError('INVALID_INPUT', `${path} is not a readable image: its content is not ${readableFormats}`)
  }
  return new SpoolError('INVALID_INPUT', `${path} is not a readable image: ${message}`)
}

type SharpModule = typeof import('sharp')

let sharpModule: Promise<SharpModule> | undefined

/**
 * Loaded on first use: the main process imports every kind for its schema and has no use for libvips. Kept
 * once loaded, as each `import()` goes through the module loader again (and its hooks, under a dev loader).
 *
 * libvips' cache is off: a worker lives on after its jobs, and the cache would keep inputs it read open (WebP,
 * and on Windows any format), so a converted original could not be deleted or moved, nor its space freed,
 * until the worker exits. Each job reads different files; the cache would save nothing.
 */
function loadSharp(): Promise<SharpModule> {
  sharpModule ??= import('sharp').then(
    (loaded) => {
      // A CommonJS bundle (the Electron worker) may hand over the module itself rather than a namespace.
      const module = (loaded.default ?? loaded) as SharpModule
      module.cache(false)
      return module
    },
    (error: unknown) => {
      sharpModule = undefined
      throw error
    },
  )
  return sharpModule
}

/**
 * The sharp pipeline that converts one input as the job's options say, up to the encoder. WebP holds
 * animation, so an animated GIF or WebP keeps every frame (each resized); the other formats take the first.
 * The pixel limit then counts every frame.
 *
 * PNG and TIFF are lossless, so they keep what the `source` has that sharp would otherwise drop: 16 bits per
 * channel, grey as one channel, and (PNG, when not resized) a palette, without which a PNG of a few colours
 * comes out tens of times larger.
 */
export function imagePipeline(
  sharp: SharpModule,
  input: string | Buffer,
  options: ImageInput,
  source: Partial<Pick<ImageSource, 'palette' | 'deep' | 'grey'>> = {},
): Sharp {
  const animated = options.format === 'webp'
  let image = sharp(input, { limitInputPixels: options.maxInputPixels, failOn: 'error', animated })
  if (options.autorotate) image = image.rotate()
  if (options.keepMetadata) image = image.keepMetadata()
  const resized = Boolean(options.width || options.height)
  if (resized) image = image.resize({ width: options.width, height: options.height, fit: options.fit })
  // JPEG has no transparency: transparent parts turn white, as image editors do, not black.
  if (options.format === 'jpeg') image = image.flatten({ background: '#ffffff' })
  if (options.format === 'png' || options.format === 'tiff') {
    if (source.deep) image = image.toColourspace(source.grey ? 'grey16' : 'rgb16')
    else if (source.grey) image = image.toColourspace('b-w')
  }
  // A palette holds every colour of a palette source; resizing blends new ones in, which it would lose.
  if (options.format === 'png' && source.palette && !source.deep && !resized) {
    return image.png({ palette: true, dither: 0 })
  }
  // TIFF is for keeping images whole: lossless, transparency kept (sharp's own default is JPEG inside TIFF).
  if (options.format === 'tiff') return image.tiff({ compression: 'lzw' })
  return image.toFormat(options.format, options.quality ? { quality: options.quality } : {})
}

/**
 * While sharp works on one large image (an AVIF of a 24-megapixel photo takes minutes), the job says which
 * file it is on, and tells the watchdog it is alive: sharp's threads report nothing until they are done.
 */
function reportWhileEncoding<T>(
  work: Promise<T>,
  message: string,
  ctx: Pick<JobContext, 'progress' | 'heartbeat'>,
  at: { done: number; total: number },
): Promise<T> {
  let ticks = 0
  const timer = setInterval(() => {
    if (ticks++ === 0) ctx.progress({ ...at, unit: 'files', message })
    else ctx.heartbeat()
  }, encodingTickMs)
  return work.finally(() => clearInterval(timer))
}

const encodingTickMs = 1000

/**
 * sharp cannot be interrupted: on a cancel the job stops waiting at once, and the image sharp goes on to
 * encode is dropped without being written.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted()
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

export const imageConvert = defineJob({
  kind: 'image.convert',
  title: 'Convert images',
  description: 'JPEG, PNG, WebP, AVIF or TIFF, resized, with metadata stripped or kept.',
  input: imageInput,
  // What sharp's own build reads. Not HEIC: its HEVC decoder is left out of sharp's binaries (patents).
  accepts: ['jpg', 'jpeg', 'png', 'webp', 'avif', 'tif', 'tiff', 'gif', 'svg'],
  label: ({ inputs, format }) =>
    `${shownName(inputs[0]!)}${inputs.length > 1 ? ` and ${inputs.length - 1} more` : ''} → ${formatNames[format]}`,
  paths: (input) => ({
    read: input.inputs,
    write: [...new Set(input.inputs.map((path) => outputFolder(path, input.outputDir)))],
  }),
  async run(input, { signal, progress, log, heartbeat, outputs: record }) {
    const sharp = await loadSharp()
    const outputs = new StagedOutputs(input.collision, record)
    const total = input.inputs.length
    try {
      for (const [index, path] of input.inputs.entries()) {
        signal.throwIfAborted()
        const size = await checkInputFile(path)
        const folder = outputFolder(path, input.outputDir)
        const ext = formatExt[input.format]
        const fileName = renderName(input.nameTemplate ?? '{name}.{ext}', {
          ...splitName(path),
          ext,
          preset: input.format,
        })
        const encode = async () => {
          const source = await readImageSource(path, sharp, input.format)
          const encoded = imagePipeline(sharp, source.input, input, source).toBuffer()
          const message = `${shownName(path)} → ${formatNames[input.format]}`
          return untilAborted(
            reportWhileEncoding(encoded, message, { progress, heartbeat }, { done: index, total }),
            signal,
          )
        }
        // sharp encodes on its own threads while the output is staged; under `skip`, once the name is known free.
        const encoding = input.collision === 'skip' ? undefined : encode()
        // Awaited below, unless staging fails first: then the encoded image is dropped.
        encoding?.catch(() => {})
        try {
          // Uncompressed TIFF can be far larger than the source.
          await ensureFreeSpace(folder, size * (input.format === 'tiff' ? 20 : 3))
          const staged = await outputs.stage(folder, fileName)
          if (staged) await outputs.write(staged, await (encoding ?? encode()))
          else log(`Skipped ${basename(path)}: ${fileName} exists`)
        } catch (error) {
          signal.throwIfAborted()
          throw imageError(error, path, folder)
        }
        progress({ done: index + 1, total, unit: 'files', message: basename(path) })
      }
      return { outputs: await outputs.commit(signal), skipped: outputs.skipped }
    } finally {
      await outputs.discard()
    }
  },
})
