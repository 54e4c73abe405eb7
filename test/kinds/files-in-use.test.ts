import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useSpool } from '../support/test-spool'
import { useTempDir } from '../support/temp-dir'

const mib = 2 ** 20

describe('files that change or stand in the way', () => {
  const tempDir = useTempDir()
  const open = useSpool()

  for (const kind of ['file.hash', 'file.compress'] as const) {
    it(`${kind}: a file still being written fails INVALID_INPUT rather than give a result of no version of it, and leaves nothing`, async () => {
      const dir = tempDir()
      const download = join(dir, 'movie.mkv.part')
      writeFileSync(download, Buffer.alloc(16 * mib, 1))
      const { spool } = await open({ roots: [dir] })
      const [id] = await spool.submit([{ kind, input: { input: download } }])
      // A download going on until the job ends: a quarter MiB every few milliseconds, 512 MiB at most.
      let appended = 0
      const writer = setInterval(() => {
        if (appended < 2048) appendFileSync(download, Buffer.alloc(mib / 4, ++appended % 256))
      }, 3)
      const job = await spool.wait(id!)
      clearInterval(writer)
      expect(job).toMatchObject({
        state: 'failed',
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/movie\.mkv\.part changed while it was read/) },
      })
      expect(readdirSync(dir)).toEqual(['movie.mkv.part'])
    })
  }

  it('overwrite never replaces a folder that has the output name: OUTPUT_EXISTS, the folder and its files kept', async () => {
    const dir = tempDir()
    const input = join(dir, 'notes.txt')
    writeFileSync(input, 'notes '.repeat(100))
    mkdirSync(join(dir, 'notes.txt.gz'))
    writeFileSync(join(dir, 'notes.txt.gz', 'keep.txt'), 'kept')
    const { spool } = await open({ roots: [dir] })
    const [id] = await spool.submit([{ kind: 'file.compress', input: { input, collision: 'overwrite' } }])
    expect(await spool.wait(id!)).toMatchObject({
      state: 'failed',
      error: {
        code: 'OUTPUT_EXISTS',
        message: `${join(dir, 'notes.txt.gz')} is a folder; it was left as it is and nothing was written`,
      },
    })
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'notes.txt.gz'])
    expect(readFileSync(join(dir, 'notes.txt.gz', 'keep.txt'), 'utf8')).toBe('kept')
  })
})
