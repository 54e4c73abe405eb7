import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import type { Job } from '../../src/shared/job'
import { fillDisk, mountSmallDisk } from '../support/small-disk'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'

const mib = 2 ** 20

/**
 * Two small real disks, so the ENOSPC is the kernel's and not a limit Spool set itself: one holding an output
 * folder, one holding the queue's database.
 */
const outputDisk = mountSmallDisk(4)
const queueDisk = mountSmallDisk(8)
for (const disk of [outputDisk, queueDisk]) {
  if (disk.skipReason) console.warn(`disk-full tests skipped: ${disk.skipReason}`)
}
afterAll(() => {
  for (const disk of [outputDisk, queueDisk]) disk.unmount?.()
})

const partFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.spool-part'))

describe('an output folder on a full disk', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  it.skipIf(outputDisk.skipReason)(
    'fails only the jobs writing there, DISK_FULL, leaving no partial file; retried once space is back, they succeed',
    async () => {
      if (!outputDisk.dir) return
      const inputs = tempDir()
      const elsewhere = tempDir()
      const full = join(outputDisk.dir, 'out')
      mkdirSync(full)
      // Random bytes do not compress: this output is refused by the free-space check before anything is written.
      const photos = randomBytes(1.5 * mib)
      writeFileSync(join(inputs, 'photos.tar'), photos)
      // Two gzip members, as `cat a.gz b.gz` makes: the trailer announces 3 bytes, so the free-space check
      // passes, and the disk would fill in the middle of writing 2 MiB: the unpacking stops first.
      const zeros = Buffer.concat([Buffer.alloc(2 * mib), Buffer.from('end')])
      writeFileSync(join(inputs, 'zeros.gz'), Buffer.concat([gzipSync(Buffer.alloc(2 * mib)), gzipSync('end')]))
      writeFileSync(join(inputs, 'notes.txt'), 'notes '.repeat(2000))
      const filler = fillDisk(full, 512 * 1024)

      const { spool } = await open({ roots: [inputs, full, elsewhere] })
      const ids = await spool.submit([
        { kind: 'file.decompress', input: { input: join(inputs, 'zeros.gz'), outputDir: full } },
        { kind: 'file.compress', input: { input: join(inputs, 'photos.tar'), outputDir: full } },
        { kind: 'file.compress', input: { input: join(inputs, 'notes.txt'), outputDir: full } },
        { kind: 'file.compress', input: { input: join(inputs, 'notes.txt'), outputDir: elsewhere } },
        { kind: 'file.hash', input: { input: join(inputs, 'photos.tar') } },
        { kind: 'file.hash', input: { input: join(inputs, 'zeros.gz') } },
      ])
      const jobs: Job[] = []
      for (const id of ids) jobs.push(await spool.wait(id))
      const [midWrite, refused, ...others] = jobs
      expect(midWrite).toMatchObject({ state: 'failed', error: { code: 'DISK_FULL' } })
      expect(midWrite!.error!.message).toMatch(/full/)
      expect(refused).toMatchObject({ state: 'failed', error: { code: 'DISK_FULL' } })
      expect(refused!.error!.message).toMatch(/Not enough free space/)
      expect(others.map((job) => job.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded'])
      expect(readdirSync(full).sort()).toEqual(['filler.bin', 'notes.txt.gz'])
      expect(partFiles(full)).toEqual([])

      rmSync(filler)
      expect(await spool.retry({ ids: [midWrite!.id, refused!.id] })).toEqual([midWrite!.id, refused!.id])
      expect(await spool.wait(midWrite!.id)).toMatchObject({ state: 'succeeded', attempts: 2 })
      expect(await spool.wait(refused!.id)).toMatchObject({ state: 'succeeded', attempts: 2 })
      expect(readFileSync(join(full, 'zeros')).equals(zeros)).toBe(true)
      expect(gunzipSync(readFileSync(join(full, 'photos.tar.gz'))).equals(photos)).toBe(true)
      expect(partFiles(full)).toEqual([])
    },
    60_000,
  )
})

describe('the queue on a full disk', () => {
  const open = useSpool()

  it.skipIf(queueDisk.skipReason)(
    'refuses new jobs DISK_FULL, keeps every stored one, and in the same session saves and runs again once space is back',
    async () => {
      if (!queueDisk.dir) return
      const dataDir = join(queueDisk.dir, 'queue')
      const first = await open({ dataDir, concurrency: 1 })
      const { spool } = first
      const done = await spool.submit(
        Array.from({ length: 20 }, (_, i) => ({ kind: 'debug.sleep', input: { ms: 0 }, label: `done ${i}` })),
      )
      for (const id of done) await spool.wait(id)
      // One job runs across the moment the disk fills; five wait behind it and run while it is full.
      const [long, ...behind] = await spool.submit([
        { kind: 'debug.sleep', input: { ms: 1500, steps: 15 }, label: 'long' },
        ...Array.from({ length: 5 }, (_, i) => ({ kind: 'debug.sleep', input: { ms: 0 }, label: `behind ${i}` })),
      ])
      await eventually(async () => (await spool.get(long!))?.state === 'running')
      let saved = false
      void spool.wait(long!).then(() => (saved = true))
      const stored = (await spool.list({ limit: 100 })).jobs.map((job) => [job.id, job.label])

      const filler = fillDisk(queueDisk.dir)
      const countsBefore = (await spool.snapshot()).counts
      await expect(spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])).rejects.toMatchObject({
        code: 'DISK_FULL',
      })
      await expect(
        spool.submit(Array.from({ length: 500 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } }))),
      ).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/no room left/) })
      expect((await spool.snapshot()).counts).toEqual(countsBefore)

      // The jobs finish while nothing can be saved: windows see it, but a waiter is told only once it is on disk.
      await eventually(() => first.events('succeeded').length === 26, 15_000)
      await new Promise((resolve) => setTimeout(resolve, 1200))
      // A commit may still fit in log space the disk had already given (then it is on disk); else it waits.
      const onDisk = new Database(join(dataDir, 'spool.db'), { readonly: true })
      try {
        const row = onDisk.prepare('SELECT state FROM jobs WHERE id = ?').get(Number(long)) as { state: string }
        expect(saved).toBe(row.state === 'succeeded')
      } finally {
        onDisk.close()
      }
      const listed = (await spool.list({ limit: 100 })).jobs
      expect(listed.map((job) => [job.id, job.label])).toEqual(stored)

      rmSync(filler)
      expect(await spool.wait(long!)).toMatchObject({ state: 'succeeded' })
      for (const id of behind) expect(await spool.wait(id)).toMatchObject({ state: 'succeeded' })
      const later = await spool.submit([{ kind: 'debug.sleep', input: { ms: 0 }, label: 'after' }])
      expect(await spool.wait(later[0]!)).toMatchObject({ state: 'succeeded' })

      // What the engine did while the disk was full is on disk: a restart finds every job finished once.
      const reopened = await first.reopen({ startPaused: true })
      const jobs = (await reopened.spool.list({ limit: 100 })).jobs
      expect(jobs).toHaveLength(27)
      expect(jobs.every((job) => job.state === 'succeeded' && job.attempts === 1)).toBe(true)
      await reopened.spool.close()
      const db = new Database(join(dataDir, 'spool.db'), { readonly: true })
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      } finally {
        db.close()
      }
    },
    60_000,
  )
})
