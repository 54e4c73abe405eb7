import { createHash } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import { z } from 'zod'
import { defineJob } from '../define-job'
import { checkInputFile, inputFilePath, readInputAsIs } from '../outputs/input-file'
import { byteProgress } from './byte-progress'
import { shownName } from './shown-name'

const algorithmNames = { sha256: 'SHA-256', sha512: 'SHA-512', sha1: 'SHA-1', md5: 'MD5' } as const

export const fileHash = defineJob({
  kind: 'file.hash',
  title: 'Checksum',
  description: 'SHA-256, SHA-512, SHA-1 or MD5 of a file; the digest is the result.',
  input: z.strictObject({
    input: inputFilePath,
    algorithm: z.enum(['sha256', 'sha512', 'sha1', 'md5']).default('sha256').meta({ optionLabels: algorithmNames }),
  }),
  label: ({ input, algorithm }) => `${shownName(input)} · ${algorithmNames[algorithm]}`,
  paths: (input) => ({ read: [input.input] }),
  async run({ input, algorithm }, { signal, progress }) {
    await checkInputFile(input, { allowEmpty: true })
    const snapshot = readInputAsIs(input)
    const hash = createHash(algorithm)
    await pipeline(
      snapshot.stream,
      byteProgress(snapshot.size, progress),
      async (chunks: AsyncIterable<Buffer>) => {
        for await (const chunk of chunks) hash.update(chunk)
      },
      { signal },
    )
    snapshot.checkUnchanged()
    return { outputs: [], digest: hash.digest('hex'), algorithm }
  },
})
