import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, watch, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AnyJobKind } from '../../src/main/jobs/define-job'
import { fileCompress } from '../../src/main/jobs/kinds/file-compress'
import { mediaTranscode } from '../../src/main/jobs/kinds/media-transcode'
import { expectRejection, runKind } from '../support/kind-runner'
import { makeVideo } from '../support/media-fixtures'
import { useTempDir } from '../support/temp-dir'

/**
 * Someone who may write in the output folder replaces each temporary file, the moment it appears, with a
 * symlink to a file elsewhere: what a job writes must still go to the file it created, never through the link.
 */
function swapInSymlinks(folder: string, target: string): { swapped: string[]; stop(): void } {
  const swapped: string[] = []
  const watcher = watch(folder, (_event, name) => {
    if (!name?.endsWith('.spool-part') || swapped.includes(name)) return
    try {
      unlinkSync(join(folder, name))
      symlinkSync(target, join(folder, name))
      swapped.push(name)
    } catch {
      // Gone already: the job finished or removed it first.
    }
  })
  return { swapped, stop: () => watcher.close() }
}

describe.skipIf(process.platform === 'win32')('a temporary output swapped for a symlink', () => {
  const tempDir = useTempDir()

  const cases: { kind: AnyJobKind; input: (dir: string) => Promise<object> }[] = [
    {
      kind: mediaTranscode,
      input: async (dir) => ({ input: await makeVideo(dir, 'clip.mp4', { seconds: 2 }), preset: 'mp4' }),
    },
    {
      kind: fileCompress,
      input: async (dir) => {
        // Large enough that the compression is still running when the swap happens.
        writeFileSync(join(dir, 'log.txt'), randomBytes(8 * 1024 * 1024).toString('hex'))
        return { input: join(dir, 'log.txt'), format: 'gzip', level: 9 }
      },
    },
  ]

  it.each(cases)('$kind.kind writes nothing outside its folder and names no output', async ({ kind, input }) => {
    const dir = tempDir()
    const folder = join(dir, 'out')
    mkdirSync(folder)
    const outside = join(dir, 'outside.txt')
    writeFileSync(outside, 'precious')
    const spec = { ...(await input(dir)), outputDir: folder }
    const swaps = swapInSymlinks(folder, outside)
    try {
      const error = await expectRejection(runKind(kind, spec))
      expect(swaps.swapped).toHaveLength(1)
      expect(error).toMatchObject({ code: 'FORBIDDEN_PATH', message: expect.stringMatching(/was replaced/) })
    } finally {
      swaps.stop()
    }
    expect(readFileSync(outside, 'utf8')).toBe('precious')
    expect(readdirSync(folder)).toEqual(swaps.swapped)
  })
})
