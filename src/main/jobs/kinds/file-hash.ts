import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { z } from 'zod'
import { SpoolError } from '../../../shared/errors'
import { defineJob } from '../define-job'
import { checkInputFile, inputFilePath } from '../outputs/input-file'
import { byteProgress } from './byte-progress'

const algorithmNames = { sha256: 'SHA-256', sha512: 'SHA-512', sha1: 'SHA-1', md5: 'MD5' } as const

export const fileHash = defineJob({
  kind: 'file.hash',
  title: 'Checksum',
  description: 'SHA-256, SHA-512, SHA-1 or MD5 of a file; the digest is the result.',
  input: z.strictObject({
    input: inputFilePath,
    algorithm: z.enum(['sha256', 'sha512', 'sha1', 'md5']).default('sha256'),
  }),
  label: ({ input, algorithm }) => `${basename(input)} · ${algorithmNames[algorithm]}`,
  paths: (input) => ({ read: [input.input] }),
  async run({ input, algorithm }, { signal, progress }) {
    await checkInputFile(input, { allowEmpty: true })
    const before = statSync(input)
    const size = before.size
    const hash = createHash(algorithm)
    await pipeline(
      // The bytes there when the job started: a file still being written would otherwise be read for ever.
      size > 0 ? createReadStream(input, { end: size - 1 }) : Readable.from([]),
      byteProgress(size, progress),
      async (chunks: AsyncIterable<Buffer>) => {
        for await (const chunk of chunks) hash.update(chunk)
      },
      { signal },
    )
    const after = statSync(input)
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ino !== before.ino) {
      throw new SpoolError(
        'INVALID_INPUT',
        `${input} changed while it was read (${before.size} bytes, then ${after.size}): its checksum would match no version of it; hash it again once it is complete`,
      )
    }
    return { outputs: [], digest: hash.digest('hex'), algorithm }
  },
})
