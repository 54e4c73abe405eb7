import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { OutputRecord, PlacedFile } from '../../src/main/jobs/outputs/earlier-outputs'
import type { CollisionPolicy } from '../../src/main/jobs/outputs/output-options'
import { StagedOutputs } from '../../src/main/jobs/outputs/staged-outputs'
import { useTempDir } from '../support/temp-dir'

/** Where an attempt's record goes: what it recorded is the next attempt's `earlier`. */
function jobRecord(earlier: readonly PlacedFile[] = []): OutputRecord & { recorded: PlacedFile[] } {
  const recorded: PlacedFile[] = []
  return {
    earlier,
    recorded,
    record: async (files) => void recorded.push(...files),
  }
}

async function attempt(folder: string, text: string, collision: CollisionPolicy, record: OutputRecord) {
  const outputs = new StagedOutputs(collision, record)
  const staged = await outputs.stage(folder, 'report.txt')
  if (staged) await outputs.write(staged, Buffer.from(text))
  const placed = await outputs.commit()
  return { placed, skipped: outputs.skipped }
}

describe('outputs of an attempt the app was killed after', () => {
  const tempDir = useTempDir()

  /** A first attempt that placed report.txt and was killed before its success was saved. */
  async function interrupted(collision: CollisionPolicy = 'rename') {
    const folder = tempDir()
    const first = jobRecord()
    await attempt(folder, 'first', collision, first)
    expect(first.recorded).toHaveLength(1)
    return { folder, earlier: first.recorded }
  }

  it('are replaced by the run again, under rename and skip, instead of a numbered copy or a skip', async () => {
    for (const collision of ['rename', 'skip'] as const) {
      const { folder, earlier } = await interrupted(collision)
      const again = await attempt(folder, 'second!', collision, jobRecord(earlier))
      expect(readdirSync(folder)).toEqual(['report.txt'])
      expect(readFileSync(join(folder, 'report.txt'), 'utf8')).toBe('second!')
      expect(again).toEqual({ placed: [{ path: join(folder, 'report.txt'), size: 7 }], skipped: [] })
    }
  })

  it('are not the user’s file put under the same name since, nor one edited in place: those are kept', async () => {
    const replaced = await interrupted()
    unlinkSync(join(replaced.folder, 'report.txt'))
    writeFileSync(join(replaced.folder, 'report.txt'), 'mine!')
    const edited = await interrupted()
    // File times tick in steps of a few milliseconds: an edit is later than that. Same length, same file.
    await new Promise((resolve) => setTimeout(resolve, 20))
    writeFileSync(join(edited.folder, 'report.txt'), 'MINE!', { flag: 'r+' })

    for (const { folder, earlier } of [replaced, edited]) {
      const again = await attempt(folder, 'second', 'rename', jobRecord(earlier))
      expect(readFileSync(join(folder, 'report.txt'), 'utf8')).toMatch(/^(mine|MINE)!$/)
      expect(again.placed).toEqual([{ path: join(folder, 'report (1).txt'), size: 6 }])
    }
  })

  it('are numbered as before when the job never ran: nothing is replaced without its own record', async () => {
    const { folder } = await interrupted()
    const other = await attempt(folder, 'other job', 'rename', jobRecord())
    expect(readFileSync(join(folder, 'report.txt'), 'utf8')).toBe('first')
    expect(other.placed).toEqual([{ path: join(folder, 'report (1).txt'), size: 9 }])
  })
})
