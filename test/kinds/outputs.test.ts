import { constants, lstatSync, readFileSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ensureFreeSpace } from '../../src/main/jobs/outputs/free-space'
import { outputError } from '../../src/main/jobs/outputs/output-errors'
import { numberedName, renderName } from '../../src/main/jobs/outputs/output-name'
import { StagedOutputs, stagedWriteStream } from '../../src/main/jobs/outputs/staged-outputs'
import { useTempDir } from '../support/temp-dir'

describe('outputs', () => {
  const tempDir = useTempDir()

  it('names outputs from the template; numbers copies as a file manager does', () => {
    expect(renderName('{name}.{ext}', { name: 'a', ext: 'webp', preset: 'webp' })).toBe('a.webp')
    expect(renderName('{name}.{ext}', { name: 'README', ext: '', preset: 'gzip' })).toBe('README')
    expect(() => renderName('{name}', { name: '..', ext: '', preset: '' })).toThrow(/unusable file name/)
    expect(numberedName('a.tar.gz', 2)).toBe('a.tar (2).gz')
    expect(numberedName('README', 1)).toBe('README (1)')
    expect(numberedName('.hidden', 1)).toBe('.hidden (1)')
  })

  it('refuses to start when the disk has less room than the estimate', async () => {
    await expect(ensureFreeSpace(tempDir(), 2 ** 60)).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringContaining('Not enough free space'),
    })
    await expect(ensureFreeSpace(tempDir(), 1)).resolves.toBeUndefined()
  })

  it('maps a full disk and an unwritable folder to typed errors', () => {
    const enospc = Object.assign(new Error('write failed'), { code: 'ENOSPC' })
    expect(outputError(enospc, '/out')).toMatchObject({ code: 'DISK_FULL' })
    expect(outputError(Object.assign(new Error('x'), { code: 'EROFS' }), '/out')).toMatchObject({
      code: 'FORBIDDEN_PATH',
    })
  })

  it('overwrite keeps the old file until the new one is complete; discard leaves it untouched', async () => {
    const dir = tempDir()
    const target = join(dir, 'report.txt')
    writeFileSync(target, 'old')
    const failed = new StagedOutputs('overwrite')
    await (await failed.stage(dir, 'report.txt'))!.handle.writeFile('half')
    await failed.discard()
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(readdirSync(dir)).toEqual(['report.txt'])
    const done = new StagedOutputs('overwrite')
    await (await done.stage(dir, 'report.txt'))!.handle.writeFile('new')
    expect(await done.commit()).toEqual([{ path: target, size: 3 }])
    expect(readFileSync(target, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['report.txt'])
  })

  it('a cancel while the outputs flush puts nothing in place; once they are placed, a cancel changes nothing', async () => {
    const dir = tempDir()
    const cancel = new AbortController()
    const stopped = new StagedOutputs('rename')
    await stopped.write((await stopped.stage(dir, 'a.webp'))!, Buffer.from('image'))
    const committing = stopped.commit(cancel.signal)
    cancel.abort(new Error('Cancelled'))
    await expect(committing).rejects.toThrow('Cancelled')
    await stopped.discard()
    expect(readdirSync(dir)).toEqual([])

    const late = new AbortController()
    const placed = new StagedOutputs('rename')
    await placed.write((await placed.stage(dir, 'b.webp'))!, Buffer.from('image'))
    const committed = placed.commit(late.signal)
    // The flush is done and the file moved before the folder's own flush: a cancel now comes too late.
    await new Promise<void>((resolve) => {
      const poll = () => (readdirSync(dir).includes('b.webp') ? resolve() : setImmediate(poll))
      poll()
    })
    late.abort(new Error('Cancelled'))
    expect(await committed).toEqual([{ path: join(dir, 'b.webp'), size: 5 }])
    expect(readdirSync(dir)).toEqual(['b.webp'])
  })

  it('two outputs of one job with the same name both survive under rename', async () => {
    const dir = tempDir()
    const outputs = new StagedOutputs('rename')
    await (await outputs.stage(dir, 'a.webp'))!.handle.writeFile('first')
    await (await outputs.stage(dir, 'a.webp'))!.handle.writeFile('second')
    const committed = await outputs.commit()
    expect(committed.map((output) => output.path)).toEqual([join(dir, 'a.webp'), join(dir, 'a (1).webp')])
    expect(readFileSync(join(dir, 'a (1).webp'), 'utf8')).toBe('second')
  })

  it('two outputs of one job with the same name both survive under overwrite and skip too; an older file is still replaced or kept', async () => {
    for (const collision of ['overwrite', 'skip'] as const) {
      const dir = tempDir()
      writeFileSync(join(dir, 'old.webp'), 'old')
      const outputs = new StagedOutputs(collision)
      for (const [name, data] of [
        ['a.webp', 'first'],
        ['a.webp', 'second'],
        ['old.webp', 'new'],
      ]) {
        await (await outputs.stage(dir, name!))?.handle.writeFile(data!)
      }
      const committed = await outputs.commit()
      expect(committed.map((output) => output.path).slice(0, 2), collision).toEqual([
        join(dir, 'a.webp'),
        join(dir, 'a (1).webp'),
      ])
      expect(readFileSync(join(dir, 'a.webp'), 'utf8')).toBe('first')
      expect(readFileSync(join(dir, 'a (1).webp'), 'utf8')).toBe('second')
      expect(readFileSync(join(dir, 'old.webp'), 'utf8')).toBe(collision === 'overwrite' ? 'new' : 'old')
    }
  })

  it('files written through the outputs are flushed while the job goes on; nothing is named before commit', async () => {
    const dir = tempDir()
    const outputs = new StagedOutputs('rename')
    const names = Array.from({ length: 40 }, (_, i) => `page-${i}.png`)
    for (const name of names) await outputs.write((await outputs.stage(join(dir, 'out'), name))!, Buffer.from(name))
    expect(readdirSync(join(dir, 'out')).every((name) => name.endsWith('.spool-part'))).toBe(true)
    const committed = await outputs.commit()
    expect(committed.map((output) => output.size)).toEqual(names.map((name) => name.length))
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([...names].sort())
    const cancelled = new StagedOutputs('rename')
    await cancelled.write((await cancelled.stage(dir, 'late.png'))!, Buffer.from('late'))
    await cancelled.discard()
    expect(readdirSync(dir)).toEqual(['out'])
  })

  it('a symlink swapped in at the temporary name redirects no write: nothing outside the folder changes', async () => {
    const dir = tempDir()
    const folder = join(dir, 'out')
    const outside = join(dir, 'outside.txt')
    writeFileSync(outside, 'precious')
    const swap = (path: string) => {
      unlinkSync(path)
      symlinkSync(outside, path)
    }
    // Swapped before a whole-file write, and before a streamed one.
    const whole = new StagedOutputs('rename')
    const first = (await whole.stage(folder, 'a.png'))!
    swap(first.tmpPath)
    await whole.write(first, Buffer.from('converted'))
    await expect(whole.commit()).rejects.toMatchObject({ code: 'FORBIDDEN_PATH', message: /was replaced/ })
    await whole.discard()
    const streamed = new StagedOutputs('overwrite')
    const second = (await streamed.stage(folder, 'b.gz'))!
    swap(second.tmpPath)
    await pipeline(Readable.from([Buffer.from('compressed')]), stagedWriteStream(second))
    await expect(streamed.commit()).rejects.toMatchObject({ code: 'FORBIDDEN_PATH' })
    await streamed.discard()
    expect(readFileSync(outside, 'utf8')).toBe('precious')
    // No output was named; the swapped-in links are someone else's and stay.
    expect(readdirSync(folder).every((name) => name.endsWith('.spool-part'))).toBe(true)
    expect(readdirSync(folder).map((name) => lstatSync(join(folder, name)).isSymbolicLink())).toEqual([true, true])
  })

  it('a symlink already at the temporary name is never opened', async () => {
    const dir = tempDir()
    const outside = join(dir, 'outside.txt')
    writeFileSync(outside, 'precious')
    const outputs = new StagedOutputs('rename')
    const staged = (await outputs.stage(dir, 'c.txt'))!
    await outputs.discard()
    symlinkSync(outside, staged.tmpPath)
    // The same random name again: exclusive create refuses the link instead of following it.
    await expect(open(staged.tmpPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL)).rejects.toMatchObject(
      {
        code: 'EEXIST',
      },
    )
    expect(readFileSync(outside, 'utf8')).toBe('precious')
  })
})
