import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readGrants, writeGrants } from '../../src/main/db/granted-paths'
import { openDatabase } from '../../src/main/db/open-database'
import { useTempDir } from '../support/temp-dir'
import { expectCode, useSpool } from '../support/test-spool'

describe('files and folders the user handed Spool', () => {
  // As the desktop app opens it: no roots, only what a dialog, a drop or a second instance granted.
  const open = useSpool({ concurrency: 1 })
  const tempDir = useTempDir()

  it('stay granted after a restart: queued jobs run, a failed one retries, and nothing else is allowed', async () => {
    const dir = tempDir()
    const photo = join(dir, 'photo.txt')
    const gone = join(dir, 'gone.txt')
    const never = join(dir, 'never granted.txt')
    const outputs = join(dir, 'outputs')
    mkdirSync(outputs)
    for (const file of [photo, gone, never]) writeFileSync(file, `contents of ${file}`)

    const first = await open()
    first.spool.grant([photo, gone, outputs])
    const [failing] = await first.spool.submit([{ kind: 'file.hash', input: { input: gone } }])
    unlinkSync(gone)
    expect((await first.spool.wait(failing!)).error?.message).toBe(`${gone} no longer exists`)
    await first.spool.pause()
    const queued = await first.spool.submit([
      { kind: 'file.hash', input: { input: photo } },
      { kind: 'file.compress', input: { input: photo, outputDir: outputs } },
    ])

    const second = await first.reopen()
    await second.spool.resume()
    for (const id of queued) expect(await second.spool.wait(id)).toMatchObject({ state: 'succeeded' })
    expect(existsSync(join(outputs, 'photo.txt.gz'))).toBe(true)
    writeFileSync(gone, 'back again')
    await second.spool.retry({ ids: [failing!] })
    expect(await second.spool.wait(failing!)).toMatchObject({ state: 'succeeded' })
    await expectCode(second.spool.submit([{ kind: 'file.hash', input: { input: never } }]), 'FORBIDDEN_PATH')
    await expectCode(
      second.spool.submit([{ kind: 'file.compress', input: { input: photo, outputDir: dir } }]),
      'FORBIDDEN_PATH',
    )
  })

  it('are kept up to a limit, the most recently granted; granting again makes a grant recent', () => {
    const { db } = openDatabase(tempDir())
    try {
      const grant = (path: string, at: number) => writeGrants(db, [{ path, folder: false }], at, 3)
      grant('/a', 1)
      grant('/b', 2)
      grant('/c', 3)
      grant('/a', 4)
      grant('/d', 5)
      expect(
        readGrants(db)
          .map((kept) => kept.path)
          .sort(),
      ).toEqual(['/a', '/c', '/d'])
      writeGrants(db, [{ path: '/photos', folder: true }], 6, 3)
      expect(readGrants(db)).toContainEqual({ path: '/photos', folder: true })
      expect(readGrants(db)).toHaveLength(3)
    } finally {
      db.close()
    }
  })
})
