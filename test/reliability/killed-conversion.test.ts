import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { killHostWhen } from '../support/kill-host'
import { makeImage, makeVideo } from '../support/media-fixtures'
import { midWriteConversions } from '../support/mid-write-conversions'
import { useLeftoverProcesses } from '../support/processes'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'

/** A conversion into `folder`, which already holds a file of the user's under the output's name. */
interface Conversion {
  kind: string
  /** Makes the input in `folder`; answers the job's input. */
  make(folder: string): Promise<Record<string, unknown>>
  /** The output's name, taken by the user's own file. */
  output: string
  /** The name Spool numbers the output to. */
  numbered: string
}

const conversions: Conversion[] = [
  {
    kind: 'image.convert',
    make: async (folder) => ({
      inputs: [await makeImage(folder, 'photo.png', { width: 800, height: 600 })],
      format: 'webp',
    }),
    output: 'photo.webp',
    numbered: 'photo (1).webp',
  },
  {
    kind: 'media.transcode',
    make: async (folder) => ({ input: await makeVideo(folder, 'clip.mp4'), preset: 'mp3' }),
    output: 'clip.mp3',
    numbered: 'clip (1).mp3',
  },
  {
    kind: 'file.compress',
    make: async (folder) => {
      writeFileSync(join(folder, 'data.bin'), randomBytes(1 << 20))
      return { input: join(folder, 'data.bin'), format: 'gzip' }
    },
    output: 'data.bin.gz',
    numbered: 'data.bin (1).gz',
  },
  {
    kind: 'file.decompress',
    make: async (folder) => {
      writeFileSync(join(folder, 'notes.txt.gz'), gzipSync(randomBytes(1 << 20)))
      return { input: join(folder, 'notes.txt.gz') }
    },
    output: 'notes.txt',
    numbered: 'notes (1).txt',
  },
]

describe('a conversion whose host was killed, run again at the next start', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const killed = useLeftoverProcesses()

  it.each(conversions)(
    '$kind: the run again replaces the output its killed attempt placed, numbers no copy and reports it',
    { timeout: 120_000 },
    async ({ kind, make, output, numbered }) => {
      // The window between the output's move and its success being saved is short: a run that missed it is tried again.
      for (let tries = 1; ; tries++) {
        const folder = tempDir()
        const dataDir = tempDir()
        const input = await make(folder)
        writeFileSync(join(folder, output), 'the user’s own file')
        await killHostWhen(dataDir, [folder], { kind, input }, () => existsSync(join(folder, numbered)), killed)
        const { spool } = await open({ dataDir, roots: [folder], startPaused: true })
        const interrupted = await spool.get('1')
        if (interrupted?.state !== 'queued' && tries < 5) continue
        // The output was in place and the job's success not saved: it goes back to the queue.
        expect(interrupted).toMatchObject({ state: 'queued', attempts: 1 })
        expect(existsSync(join(folder, numbered))).toBe(true)

        await spool.resume()
        const job = await spool.wait('1')
        expect(job).toMatchObject({ state: 'succeeded', attempts: 2 })
        const inputs = [input.inputs ?? input.input].flat()
        const others = readdirSync(folder).filter((name) => !inputs.includes(join(folder, name)))
        expect(others.sort()).toEqual([output, numbered].sort())
        expect(readFileSync(join(folder, output), 'utf8')).toBe('the user’s own file')
        const size = readFileSync(join(folder, numbered)).byteLength
        expect(size).toBeGreaterThan(0)
        expect(job.result).toMatchObject({ outputs: [{ path: join(folder, numbered), size }] })
        return
      }
    },
  )

  it.each(midWriteConversions)(
    '$kind killed mid-write leaves no temporary file once it has run again',
    { timeout: 120_000 },
    async ({ kind, make }) => {
      const folder = tempDir()
      const dataDir = tempDir()
      const input = await make(folder)
      const parts = () => readdirSync(folder).filter((name) => name.endsWith('.spool-part'))
      await killHostWhen(dataDir, [folder], { kind, input }, () => parts().length > 0, killed)
      expect(parts()).toHaveLength(1)

      const { spool } = await open({ dataDir, roots: [folder] })
      const job = await spool.wait('1')
      expect(job).toMatchObject({ state: 'succeeded', attempts: 2 })
      const output = (job.result as { outputs: { path: string; size: number }[] }).outputs
      expect(readdirSync(folder).sort()).toEqual(
        [input.input as string, output[0]!.path].map((path) => basename(path)).sort(),
      )
    },
  )
})
