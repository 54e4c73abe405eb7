import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { fileCompress } from '../../src/main/jobs/kinds/file-compress'
import { fileDecompress } from '../../src/main/jobs/kinds/file-decompress'
import { fileHash } from '../../src/main/jobs/kinds/file-hash'
import { fakeJobContext } from '../support/fake-job-context'
import { expectRejection, runKind, tempOutputs } from '../support/kind-runner'
import { partFileName } from '../../src/main/jobs/outputs/abandoned-parts'
import { useTempDir } from '../support/temp-dir'

// Compressible but not trivially so: a few MiB of repeated text with counters.
function sampleText(lines = 120_000): Buffer {
  return Buffer.from(
    Array.from({ length: lines }, (_, i) => `line ${i} of the sample, value ${(i * 7919) % 1000}\n`).join(''),
  )
}

describe('file.compress and file.decompress', () => {
  const tempDir = useTempDir()

  for (const format of ['gzip', 'brotli'] as const) {
    it(`${format}: compresses beside the input and decompresses back to the same bytes, with progress by bytes`, async () => {
      const dir = tempDir()
      const original = sampleText()
      const input = join(dir, 'notes.txt')
      writeFileSync(input, original)
      const ctx = fakeJobContext()
      const packed = await runKind(fileCompress, { input, format }, ctx)
      const ext = format === 'gzip' ? 'gz' : 'br'
      expect(packed.outputs).toEqual([{ path: join(dir, `notes.txt.${ext}`), size: expect.any(Number) }])
      expect(packed.outputs[0]!.size).toBeLessThan(original.length / 3)
      expect(ctx.updates.at(-1)).toMatchObject({ done: original.length, total: original.length, unit: 'B' })
      expect(ctx.lastFraction()).toBe(1)

      const outDir = join(dir, 'out')
      const unpacked = await runKind(fileDecompress, { input: packed.outputs[0]!.path, outputDir: outDir })
      expect(unpacked.outputs[0]!.path).toBe(join(outDir, 'notes.txt'))
      expect(readFileSync(unpacked.outputs[0]!.path).equals(original)).toBe(true)
      expect(tempOutputs(dir)).toEqual([])
    })
  }

  it('renames on a collision by default, overwrites or skips when asked', async () => {
    const dir = tempDir()
    const input = join(dir, 'a.log')
    writeFileSync(input, 'hello hello hello')
    writeFileSync(join(dir, 'a.log.gz'), 'someone else’s file')
    const renamed = await runKind(fileCompress, { input })
    expect(renamed.outputs[0]!.path).toBe(join(dir, 'a.log (1).gz'))
    const skipped = await runKind<{ outputs: unknown[]; skipped: string[] }>(fileCompress, { input, collision: 'skip' })
    expect(skipped).toEqual({ outputs: [], skipped: [join(dir, 'a.log.gz')] })
    expect(readFileSync(join(dir, 'a.log.gz'), 'utf8')).toBe('someone else’s file')
    await runKind(fileCompress, { input, collision: 'overwrite' })
    expect(gunzipSync(readFileSync(join(dir, 'a.log.gz'))).toString()).toBe('hello hello hello')
    const templated = await runKind(fileCompress, { input, nameTemplate: 'packed-{name}-{preset}.{ext}' })
    expect(templated.outputs[0]!.path).toBe(join(dir, 'packed-a-gzip.log.gz'))
  })

  it('a cancelled compression leaves no output and no temp file', async () => {
    const dir = tempDir()
    const input = join(dir, 'big.txt')
    writeFileSync(input, sampleText(600_000))
    const ctx = fakeJobContext()
    const running = runKind(fileCompress, { input, format: 'brotli', level: 9 }, ctx)
    await new Promise((resolve) => setTimeout(resolve, 150))
    ctx.controller.abort()
    const error = await expectRejection(running)
    expect(error.name).toBe('AbortError')
    expect(readdirSync(dir)).toEqual(['big.txt'])
  })

  it('removes temp files left by a worker that was killed mid-write, and only those', async () => {
    const dir = tempDir()
    const input = join(dir, 'a.txt')
    writeFileSync(input, 'abc')
    const abandoned = join(dir, '.a.txt.gz.99999999-deadbeef.spool-part')
    const fresh = join(dir, '.b.txt.gz.99999998-deadbeef.spool-part')
    const living = join(dir, `.c.txt.gz.${process.ppid}-deadbeef.spool-part`)
    // Named on this machine by a writer that is gone: abandoned however recent (killed with the app a moment ago).
    const freshHere = join(dir, partFileName('d.txt.gz', 'deadbeef').replace(`-${process.pid}-`, '-99999997-'))
    for (const path of [abandoned, fresh, living, freshHere]) writeFileSync(path, 'partial')
    const old = new Date(Date.now() - 3_600_000)
    utimesSync(abandoned, old, old)
    utimesSync(living, old, old)
    await runKind(fileCompress, { input })
    expect(readdirSync(dir).sort()).toEqual([fresh, living, input, `${input}.gz`].map((path) => basename(path)).sort())
  })

  it('corrupt data is refused as INVALID_INPUT and leaves nothing', async () => {
    const dir = tempDir()
    const input = join(dir, 'broken.gz')
    writeFileSync(input, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(64, 0x55)]))
    const error = await expectRejection(runKind(fileDecompress, { input }))
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('not valid gzip data') })
    expect(readdirSync(dir)).toEqual(['broken.gz'])
    const empty = join(dir, 'empty.gz')
    writeFileSync(empty, '')
    expect(await expectRejection(runKind(fileDecompress, { input: empty }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('is empty'),
    })
  })
})

describe('file.hash', () => {
  const tempDir = useTempDir()

  for (const algorithm of ['sha256', 'sha1', 'md5', 'sha512'] as const) {
    it(`${algorithm} matches node:crypto, progress reaches 1, nothing is written`, async () => {
      const dir = tempDir()
      const data = sampleText(40_000)
      const input = join(dir, 'data.bin')
      writeFileSync(input, data)
      const ctx = fakeJobContext()
      const result = await runKind(fileHash, { input, algorithm }, ctx)
      expect(result).toEqual({ outputs: [], algorithm, digest: createHash(algorithm).update(data).digest('hex') })
      expect(ctx.lastFraction()).toBe(1)
      expect(readdirSync(dir)).toEqual(['data.bin'])
    })
  }

  it('hashes a zero-byte file; a deleted file is a clear INVALID_INPUT', async () => {
    const dir = tempDir()
    const input = join(dir, 'empty')
    writeFileSync(input, '')
    const result = await runKind<{ digest: string }>(fileHash, { input })
    expect(result.digest).toBe(createHash('sha256').digest('hex'))
    unlinkSync(input)
    expect(await expectRejection(runKind(fileHash, { input }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: `${input} no longer exists`,
    })
    expect(await expectRejection(runKind(fileHash, { input: dir }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: `${dir} is no longer a file`,
    })
  })
})
