import { execFileSync } from 'node:child_process'
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/shared/job'
import { PathPolicy } from '../../src/main/jobs/path-policy'
import { browse } from '../../src/main/web/browse'
import { layout, outsideUntouched } from '../support/path-layout'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'

describe('paths that try to leave the granted roots', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  /** Submits one spec and answers how it was refused and how long that took; nothing may be queued. */
  async function refusal(spool: Awaited<ReturnType<typeof open>>['spool'], spec: JobSpec) {
    const before = (await spool.snapshot()).counts
    const started = performance.now()
    const error = await spool.submit([spec]).then(
      () => ({ code: 'ACCEPTED', message: '' }),
      (e: { code: string; message: string }) => e,
    )
    const ms = performance.now() - started
    expect((await spool.snapshot()).counts).toEqual(before)
    return { code: error.code, message: error.message, ms }
  }

  it('device files are refused at submit, whether never granted, linked from a root, or under a granted /dev', async () => {
    const { root } = layout(tempDir())
    const { spool } = await open({ roots: [root] })
    for (const device of ['/dev/zero', '/dev/null', '/dev/urandom']) {
      expect(await refusal(spool, { kind: 'file.hash', input: { input: device } })).toMatchObject({
        code: 'FORBIDDEN_PATH',
      })
    }
    expect(await refusal(spool, { kind: 'file.hash', input: { input: join(root, 'zero') } })).toMatchObject({
      code: 'FORBIDDEN_PATH',
    })
    // Someone picked /dev in a folder dialog: still nothing there is a file a job may read.
    const dev = await open({ roots: [root, '/dev'] })
    for (const device of ['/dev/zero', '/dev/null', '/dev/urandom']) {
      const specs: JobSpec[] = [
        { kind: 'file.hash', input: { input: device } },
        { kind: 'file.compress', input: { input: device, outputDir: root } },
      ]
      for (const spec of specs) {
        const refused = await refusal(dev.spool, spec)
        expect(refused).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a regular file/) })
        expect(refused.ms).toBeLessThan(1000)
      }
    }
  })

  it('a FIFO is refused at submit for every kind that reads, without opening it', async () => {
    const { root } = layout(tempDir())
    const { spool } = await open({ roots: [root] })
    const pipe = join(root, 'pipe')
    const specs: JobSpec[] = [
      { kind: 'file.hash', input: { input: pipe } },
      { kind: 'file.compress', input: { input: pipe } },
      { kind: 'file.decompress', input: { input: pipe } },
      { kind: 'image.convert', input: { inputs: [pipe], format: 'webp' } },
      { kind: 'media.transcode', input: { input: pipe, preset: 'mp3' } },
    ]
    const available = new Set((await spool.kinds()).filter((kind) => kind.available).map((kind) => kind.kind))
    for (const spec of specs.filter((spec) => available.has(spec.kind))) {
      const refused = await refusal(spool, spec)
      expect(refused, spec.kind).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/pipe/) })
      expect(refused.ms).toBeLessThan(1000)
    }
  })

  it('a file swapped for a FIFO or a link to a device after it was queued fails at once; the worker runs on', async () => {
    const { root } = layout(tempDir())
    const { spool } = await open({ roots: [root], concurrency: 1, startPaused: true })
    for (const name of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(join(root, name), name)
    const [toPipe, toDevice, plain] = await spool.submit(
      ['a.txt', 'b.txt', 'c.txt'].map((name) => ({ kind: 'file.hash', input: { input: join(root, name) } })),
    )
    rmSync(join(root, 'a.txt'))
    execFileSync('mkfifo', [join(root, 'a.txt')])
    rmSync(join(root, 'b.txt'))
    symlinkSync('/dev/urandom', join(root, 'b.txt'))
    const started = performance.now()
    await spool.resume()
    expect(await spool.wait(toPipe!)).toMatchObject({ state: 'failed', error: { code: 'INVALID_INPUT' } })
    // The link now leads out of the root: refused before the job goes to a worker.
    expect(await spool.wait(toDevice!)).toMatchObject({ state: 'failed', error: { code: 'FORBIDDEN_PATH' } })
    expect(await spool.wait(plain!)).toMatchObject({ state: 'succeeded' })
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('a link pointed out of the root after its job was queued fails FORBIDDEN_PATH before it runs', async () => {
    const { root, outside } = layout(tempDir())
    const { spool } = await open({ roots: [root], startPaused: true })
    symlinkSync(join(root, 'photo.txt'), join(root, 'later.txt'))
    mkdirSync(join(root, 'out'))
    const [read, write] = await spool.submit([
      { kind: 'file.hash', input: { input: join(root, 'later.txt') } },
      { kind: 'file.compress', input: { input: join(root, 'photo.txt'), outputDir: join(root, 'out') } },
    ])
    rmSync(join(root, 'later.txt'))
    symlinkSync(join(outside, 'secret.txt'), join(root, 'later.txt'))
    rmSync(join(root, 'out'), { recursive: true })
    symlinkSync(join(outside, 'sub'), join(root, 'out'))
    await spool.resume()
    const hashed = await spool.wait(read!)
    expect(hashed).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'FORBIDDEN_PATH' } })
    expect(hashed.result).toBeUndefined()
    expect(await spool.wait(write!)).toMatchObject({ state: 'failed', error: { code: 'FORBIDDEN_PATH' } })
    outsideUntouched(outside)
  })

  it('`..` and links out of a root are refused for reading', async () => {
    const { root, outside } = layout(tempDir())
    const { spool } = await open({ roots: [root] })
    const reads = [
      join(root, '..', 'outside', 'secret.txt'),
      `${root}/deep/../../outside/secret.txt`,
      join(root, 'secret-link.txt'),
      `${root}/junction/../secret.txt`,
    ]
    for (const input of reads) {
      expect(await refusal(spool, { kind: 'file.hash', input: { input } }), input).toMatchObject({
        code: 'FORBIDDEN_PATH',
      })
    }
    writeFileSync(join(outside, 'sub', 'inner.txt'), 'x')
    expect(
      await refusal(spool, { kind: 'file.hash', input: { input: join(root, 'junction', 'inner.txt') } }),
    ).toMatchObject({ code: 'FORBIDDEN_PATH' })
    rmSync(join(outside, 'sub', 'inner.txt'))
    // A link that stays inside is fine: the check is on where a path leads, not on its spelling.
    const [id] = await spool.submit([{ kind: 'file.hash', input: { input: join(root, 'inside-link.txt') } }])
    expect(await spool.wait(id!)).toMatchObject({ state: 'succeeded' })
  })

  it('an output folder out of a root is refused, however it is spelled', async () => {
    const { root, outside } = layout(tempDir())
    const { spool } = await open({ roots: [root] })
    const folders = [
      join(root, '..'),
      `${root}/..`,
      join(root, '..', 'outside'),
      join(root, 'junction'),
      join(root, 'junction', 'new', 'folder'),
      // The system reads these through the link, path.join reads them without it; either one leaves the root.
      `${root}/junction/..`,
      `${root}/down/../../..`,
      outside,
    ]
    for (const outputDir of folders) {
      const spec = { kind: 'file.compress', input: { input: join(root, 'photo.txt'), outputDir } }
      expect(await refusal(spool, spec), outputDir).toMatchObject({ code: 'FORBIDDEN_PATH' })
    }
    outsideUntouched(outside)
  })

  it('paths never granted, relative paths, URLs and tool protocols are refused', async () => {
    const { root } = layout(tempDir())
    const { spool } = await open({ roots: [root] })
    const elsewhere = join(tempDir(), 'elsewhere.txt')
    writeFileSync(elsewhere, 'not granted')
    const cases: [string, string][] = [
      ['/etc/passwd', 'FORBIDDEN_PATH'],
      ['/proc/self/environ', 'FORBIDDEN_PATH'],
      [elsewhere, 'FORBIDDEN_PATH'],
      ['photo.txt', 'INVALID_INPUT'],
      ['../root/photo.txt', 'INVALID_INPUT'],
      ['~/photo.txt', 'INVALID_INPUT'],
      [`file://${root}/photo.txt`, 'INVALID_INPUT'],
      ['concat:/etc/passwd|/etc/hosts', 'INVALID_INPUT'],
      [`${root}/photo.txt\0.png`, 'INVALID_INPUT'],
    ]
    for (const [input, code] of cases) {
      expect(await refusal(spool, { kind: 'file.hash', input: { input } }), input).toMatchObject({ code })
    }
  })
})

describe('grants', () => {
  const tempDir = useTempDir()

  it('are all or nothing: a path that does not exist is INVALID_INPUT and grants none of the batch', () => {
    const { root, outside } = layout(tempDir())
    const policy = new PathPolicy([root])
    const error = (() => {
      try {
        policy.grant([join(outside, 'secret.txt'), join(outside, 'missing.txt')])
      } catch (e) {
        return e
      }
    })()
    expect(error).toMatchObject({ code: 'INVALID_INPUT' })
    expect(() => policy.checkRead(join(outside, 'secret.txt'))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_PATH' }),
    )
    policy.grant([join(outside, 'secret.txt')])
    expect(policy.checkRead(join(outside, 'secret.txt'))).toBe(realpathSync(join(outside, 'secret.txt')))
  })
})

describe('the web host file picker', () => {
  const tempDir = useTempDir()

  it('lists nothing outside its roots through `..` or links', async () => {
    const { root, outside } = layout(tempDir())
    const policy = new PathPolicy([root])
    for (const path of [
      `${root}/..`,
      join(root, 'junction'),
      `${root}/junction/..`,
      `${root}/down/../../..`,
      outside,
    ]) {
      await expect(browse(policy, path), path).rejects.toMatchObject({ code: 'FORBIDDEN_PATH' })
    }
    const listed = await browse(policy, root)
    expect(listed.entries.map((entry) => entry.name)).toEqual([
      'deep',
      'down',
      'archive.gz',
      'inside-link.txt',
      'photo.txt',
    ])
    expect(listed.parent).toBeUndefined()
  })
})
