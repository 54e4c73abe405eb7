import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGzip, gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { freeBytes, mountSmallDisk } from '../support/small-disk'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'

const mib = 2 ** 20
const disk = mountSmallDisk(32)
if (disk.skipReason) console.warn(`decompression bomb test skipped: ${disk.skipReason}`)
afterAll(() => disk.unmount?.())

/** A few hundred KiB of gzip that unpack to `bytes` zeros; a last member of one byte makes its header say 1. */
async function gzipBomb(path: string, bytes: number): Promise<void> {
  const parts: Buffer[] = []
  const gzip = createGzip({ level: 9 })
  gzip.on('data', (chunk: Buffer) => parts.push(chunk))
  const ended = new Promise((resolve) => gzip.on('end', resolve))
  const block = Buffer.alloc(mib)
  for (let i = 0; i < bytes / mib; i++) gzip.write(block)
  gzip.end()
  await ended
  writeFileSync(path, Buffer.concat([...parts, gzipSync('x')]))
}

describe('a decompression bomb', () => {
  const tempDir = useTempDir()
  const open = useSpool()

  it.skipIf(disk.skipReason)(
    'stops before the disk is full, DISK_FULL naming the file, and leaves no output',
    async () => {
      if (!disk.dir) return
      const inputs = tempDir()
      const out = join(disk.dir, 'out')
      mkdirSync(out)
      const bomb = join(inputs, 'backup.gz')
      await gzipBomb(bomb, 256 * mib)
      const { spool } = await open({ roots: [inputs, out] })
      let leastFree = freeBytes(out)
      const watch = setInterval(() => (leastFree = Math.min(leastFree, freeBytes(out))), 1)
      const [id] = await spool.submit([{ kind: 'file.decompress', input: { input: bomb, outputDir: out } }])
      const job = await spool.wait(id!)
      clearInterval(watch)
      expect(job).toMatchObject({
        state: 'failed',
        error: {
          code: 'DISK_FULL',
          message: expect.stringMatching(/backup\.gz unpacks to more than .* stopped before the disk was full/),
        },
      })
      expect(readdirSync(out)).toEqual([])
      // Other programs writing to that disk meanwhile still found room.
      expect(leastFree).toBeGreaterThan(mib)
    },
  )
})
