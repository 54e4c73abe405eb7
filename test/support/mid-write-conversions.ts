import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeVideo } from './media-fixtures'

/**
 * Conversions that write their output long enough (a few seconds) for a test to kill their host mid-write:
 * `make` puts the input in `folder` and answers the job's input.
 */
export const midWriteConversions = [
  {
    kind: 'media.transcode',
    make: async (folder: string) => ({
      input: await makeVideo(folder, 'clip.mp4', { seconds: 8, size: '320x240' }),
      preset: 'webm',
    }),
  },
  {
    kind: 'file.compress',
    make: async (folder: string) => {
      writeFileSync(join(folder, 'data.bin'), randomBytes(32 << 20))
      return { input: join(folder, 'data.bin'), format: 'gzip' }
    },
  },
]
