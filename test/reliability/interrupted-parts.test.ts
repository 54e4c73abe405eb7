import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { partFileName } from '../../src/main/jobs/outputs/abandoned-parts'
import { killHostWhen } from '../support/kill-host'
import { midWriteConversions } from '../support/mid-write-conversions'
import { useLeftoverProcesses } from '../support/processes'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'

const isPart = (name: string) => name.endsWith('.spool-part')
/** This machine's mark in part names, as Spool writes them. */
const machine = /\.([0-9a-f]{8})-\d+-[0-9a-f]{8}\.spool-part$/.exec(partFileName('x', '00000000'))![1]!

const conversions = midWriteConversions

describe('a conversion killed with the app that never runs again', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const killed = useLeftoverProcesses()

  /** Kills a host mid-write of `kind` into `folder`; answers the job's input and the part it left. */
  async function killedMidWrite(kind: string, make: (folder: string) => Promise<Record<string, unknown>>) {
    const folder = tempDir()
    const dataDir = tempDir()
    const input = await make(folder)
    await killHostWhen(dataDir, [folder], { kind, input }, () => readdirSync(folder).some(isPart), killed)
    const parts = readdirSync(folder).filter(isPart)
    expect(parts).toHaveLength(1)
    return { folder, dataDir, input, part: parts[0]! }
  }

  it.each(conversions)(
    '$kind killed mid-write and ended INTERRUPTED at the next start leaves no temporary file',
    { timeout: 120_000 },
    async ({ kind, make }) => {
      const { folder, dataDir, input } = await killedMidWrite(kind, make)
      const { spool } = await open({ dataDir, roots: [folder], maxInterruptions: 1 })
      expect(await spool.get('1')).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED' } })
      await eventually(() => !readdirSync(folder).some(isPart), 10_000)
      expect(readdirSync(folder)).toEqual([basename(input.input as string)])
    },
  )

  it(
    'file.compress killed mid-write, then cancelled while queued after the restart, leaves no temporary file',
    {
      timeout: 120_000,
    },
    async () => {
      const { folder, dataDir } = await killedMidWrite(conversions[1]!.kind, conversions[1]!.make)
      const { spool } = await open({ dataDir, roots: [folder], startPaused: true })
      expect(await spool.cancel({ ids: ['1'] })).toBe(1)
      await eventually(() => !readdirSync(folder).some(isPart), 10_000)
      expect(readdirSync(folder)).toEqual(['data.bin'])
    },
  )

  it(
    'leaves alone a part another live Spool writes, and the user’s files named like parts',
    {
      timeout: 120_000,
    },
    async () => {
      const { folder, dataDir, part } = await killedMidWrite(conversions[1]!.kind, conversions[1]!.make)
      const writer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
      killed.push(writer.pid!)
      const outside = tempDir()
      writeFileSync(join(outside, 'diary.txt'), 'outside the root')
      const kept = {
        [`.movie.mp4.${machine}-${writer.pid}-0badf00d.spool-part`]: 'a live writer’s part',
        'notes.spool-part': 'the user’s',
        '.notes.txt.spool-part': 'the user’s',
        '.report.pdf.4242-notours.spool-part': 'the user’s',
        'report.pdf.spool-part.txt': 'the user’s',
      }
      for (const [name, text] of Object.entries(kept)) writeFileSync(join(folder, name), text)
      // Named like a part of a dead writer, but a link and a folder: Spool makes only plain files.
      const deadPid = 999_999_999
      const link = `.diary.txt.${machine}-${deadPid}-00000000.spool-part`
      const album = `.album.${machine}-${deadPid}-00000001.spool-part`
      symlinkSync(join(outside, 'diary.txt'), join(folder, link))
      mkdirSync(join(folder, album))

      const { spool } = await open({ dataDir, roots: [folder], maxInterruptions: 1 })
      expect(await spool.get('1')).toMatchObject({ error: { code: 'INTERRUPTED' } })
      await eventually(() => !readdirSync(folder).includes(part), 10_000)
      for (const [name, text] of Object.entries(kept)) expect(readFileSync(join(folder, name), 'utf8')).toBe(text)
      expect(readdirSync(folder).sort()).toEqual(['data.bin', ...Object.keys(kept), link, album].sort())
      expect(readFileSync(join(outside, 'diary.txt'), 'utf8')).toBe('outside the root')
    },
  )

  it('never sweeps an output folder that now leads out of the roots', { timeout: 120_000 }, async () => {
    const root = tempDir()
    const dataDir = tempDir()
    const folder = join(root, 'out')
    mkdirSync(folder)
    writeFileSync(join(root, 'data.bin'), randomBytes(32 << 20))
    const spec = { kind: 'file.compress', input: { input: join(root, 'data.bin'), format: 'gzip', outputDir: folder } }
    await killHostWhen(dataDir, [root], spec, () => readdirSync(folder).some(isPart), killed)
    // The folder, its dead writer's part with it, moved out of the root, and a link left in its place.
    const outside = join(tempDir(), 'out')
    renameSync(folder, outside)
    symlinkSync(outside, folder)

    const { spool } = await open({ dataDir, roots: [root], maxInterruptions: 1 })
    expect(await spool.get('1')).toMatchObject({ error: { code: 'INTERRUPTED' } })
    // The sweep starts within a second of opening (once the first workers are ready); it has had its turn by now.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    expect(readdirSync(outside).filter(isPart)).toHaveLength(1)
  })
})
