import { open } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { Transform } from 'node:stream'
import { createBrotliDecompress, createGunzip } from 'node:zlib'
import { z } from 'zod'
import { SpoolError } from '../../../shared/errors'
import { defineJob } from '../define-job'
import { checkInputFile, inputFilePath } from '../outputs/input-file'
import { ensureFreeSpace, spaceToFill } from '../outputs/free-space'
import { outputFields } from '../outputs/output-options'
import { outputFolder, renderName, splitName } from '../outputs/output-name'
import { compressionNames } from './file-compress'
import { streamToOutput } from './stream-to-output'
import { shownName } from './shown-name'

type Format = 'gzip' | 'brotli'

/** The first and last bytes: gzip's magic number, and its trailer's size of the data (modulo 4 GiB). */
async function readEnds(path: string, size: number): Promise<{ magic: Buffer; isize: number }> {
  const handle = await open(path, 'r')
  try {
    const magic = Buffer.alloc(2)
    const trailer = Buffer.alloc(4)
    await handle.read(magic, 0, 2, 0)
    if (size >= 18) await handle.read(trailer, 0, 4, size - 4)
    return { magic, isize: trailer.readUInt32LE(0) }
  } finally {
    await handle.close()
  }
}

function formatOf(path: string, magic: Buffer, asked: Format | undefined): Format {
  const isGzip = magic[0] === 0x1f && magic[1] === 0x8b
  if (asked === 'gzip' && !isGzip) throw new SpoolError('INVALID_INPUT', `${path} is not gzip data`)
  if (asked) return asked
  if (isGzip) return 'gzip'
  // Brotli has no magic number: only the name can say.
  if (extname(path).toLowerCase() === '.br') return 'brotli'
  throw new SpoolError('INVALID_INPUT', `${path} is neither gzip nor a .br file; say which format it is`)
}

const mib = 2 ** 20

/**
 * A small archive can unpack to far more than its header says (its size field counts only the last member,
 * modulo 4 GiB): past `max` bytes out, the unpacking stops rather than fill the disk.
 */
function byteLimit(max: number, error: () => Error): Transform {
  let written = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length
      callback(written > max ? error() : null, chunk)
    },
  })
}

/** "notes.txt.gz" → "notes.txt"; a name without a compression extension is kept. */
function innerName(path: string): string {
  const base = basename(path)
  const ext = extname(base).toLowerCase()
  return ['.gz', '.gzip', '.br'].includes(ext) && base.length > ext.length ? base.slice(0, -ext.length) : base
}

export const fileDecompress = defineJob({
  kind: 'file.decompress',
  title: 'Decompress',
  description: 'gzip or Brotli, streamed.',
  input: z.strictObject({
    input: inputFilePath,
    /** Default: gzip by its magic number, Brotli by a .br name. */
    format: z
      .enum(['gzip', 'brotli'])
      .optional()
      .meta({ optionLabels: compressionNames, description: 'Empty: found from the file' }),
    ...outputFields,
  }),
  accepts: ['gz', 'gzip', 'br'],
  label: (input) => `${shownName(input.input)} → unpacked`,
  paths: (input) => ({ read: [input.input], write: [outputFolder(input.input, input.outputDir)] }),
  async run(input, ctx) {
    const size = await checkInputFile(input.input)
    const { magic, isize } = await readEnds(input.input, size)
    const format = formatOf(input.input, magic, input.format)
    const folder = outputFolder(input.input, input.outputDir)
    const fileName = renderName(input.nameTemplate ?? '{name}.{ext}', {
      ...splitName(innerName(input.input)),
      preset: format,
    })
    const estimate = format === 'gzip' ? Math.max(isize, size) : size * 4
    await ensureFreeSpace(folder, estimate)
    const transform = format === 'gzip' ? createGunzip() : createBrotliDecompress()
    const limit = spaceToFill(folder, estimate)
    const tooLarge = () =>
      new SpoolError(
        'DISK_FULL',
        `${input.input} unpacks to more than ${Math.floor(limit / mib)} MiB, all the disk holding ${folder} can spare: stopped before the disk was full`,
      )
    const inputError = (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? ''
      if (!code.startsWith('Z_') && !code.startsWith('ERR_BROTLI') && !code.startsWith('ERR__')) return undefined
      return new SpoolError('INVALID_INPUT', `${input.input} is not valid ${format} data: ${(error as Error).message}`)
    }
    return streamToOutput(
      {
        input: input.input,
        size,
        transform: [transform, byteLimit(limit, tooLarge)],
        folder,
        fileName,
        collision: input.collision,
        inputError,
      },
      ctx,
    )
  },
})
