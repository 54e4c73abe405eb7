import { constants, createBrotliCompress, createGzip } from 'node:zlib'
import { z } from 'zod'
import { defineJob } from '../define-job'
import { checkInputFile, inputFilePath } from '../outputs/input-file'
import { ensureFreeSpace } from '../outputs/free-space'
import { outputFields } from '../outputs/output-options'
import { outputFolder, renderName, splitName } from '../outputs/output-name'
import { streamToOutput } from './stream-to-output'
import { shownName } from './shown-name'

export const compressionExt = { gzip: 'gz', brotli: 'br' } as const
export const compressionNames = { gzip: 'gzip', brotli: 'Brotli' } as const

export const fileCompress = defineJob({
  kind: 'file.compress',
  title: 'Compress',
  description: 'gzip or Brotli, streamed.',
  input: z.strictObject({
    input: inputFilePath,
    format: z.enum(['gzip', 'brotli']).default('gzip').meta({ optionLabels: compressionNames }),
    /** gzip 1–9 (default 6), Brotli 0–11 (default 5: 11 is many times slower for a few percent). */
    level: z
      .number()
      .int()
      .min(0)
      .max(11)
      .optional()
      .meta({ description: 'gzip 1–9, Brotli 0–11; empty: a balance of size and speed' }),
    ...outputFields,
  }),
  label: (input) => `${shownName(input.input)} → ${compressionNames[input.format]}`,
  paths: (input) => ({ read: [input.input], write: [outputFolder(input.input, input.outputDir)] }),
  async run(input, ctx) {
    const size = await checkInputFile(input.input, { allowEmpty: true })
    const folder = outputFolder(input.input, input.outputDir)
    const { name, ext } = splitName(input.input)
    const outExt = [ext, compressionExt[input.format]].filter(Boolean).join('.')
    const fileName = renderName(input.nameTemplate ?? '{name}.{ext}', { name, ext: outExt, preset: input.format })
    // Incompressible data grows a little; never by more than this.
    await ensureFreeSpace(folder, size * 1.01 + 64 * 1024)
    const encoder =
      input.format === 'gzip'
        ? createGzip({ level: Math.min(9, Math.max(1, input.level ?? 6)) })
        : createBrotliCompress({
            params: {
              [constants.BROTLI_PARAM_QUALITY]: input.level ?? 5,
              [constants.BROTLI_PARAM_SIZE_HINT]: size,
            },
          })
    return streamToOutput(
      { input: input.input, size, transform: encoder, folder, fileName, collision: input.collision },
      ctx,
    )
  },
})
