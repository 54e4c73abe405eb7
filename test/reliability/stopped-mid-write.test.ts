import { readdirSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { describe, expect, it } from 'vitest'
import { midWriteConversions } from '../support/mid-write-conversions'
import { descendants, parentOf } from '../support/processes'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'

const isPart = (name: string) => name.endsWith('.spool-part')

/** This test process's worker processes (not the tools they run). */
function workerPids(): number[] {
  const command = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
    } catch {
      return null
    }
  }
  return descendants(process.pid).filter((pid) => parentOf(pid) === process.pid && command(pid) === 'node')
}

describe('a conversion stopped mid-write leaves no temporary file beside its target', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  /** A folder with the conversion's input, and a Spool that may write there. */
  async function writing(make: (folder: string) => Promise<Record<string, unknown>>) {
    const folder = tempDir()
    const input = await make(folder)
    return { folder, input, ...(await open({ roots: [folder], concurrency: 1 })) }
  }

  it.each(midWriteConversions)(
    '$kind: closing the queue; it runs again from the start at the next open',
    { timeout: 120_000 },
    async ({ kind, make }) => {
      const { folder, input, spool, reopen } = await writing(make)
      const [id] = await spool.submit([{ kind, input }])
      await eventually(() => readdirSync(folder).some(isPart), 60_000)
      await spool.close()
      expect(readdirSync(folder)).toEqual([basename(input.input as string)])

      const again = await reopen()
      expect(await again.spool.get(id!)).toMatchObject({ state: expect.stringMatching(/^(queued|running)$/) })
      expect(await again.spool.wait(id!)).toMatchObject({ state: 'succeeded', attempts: 2 })
      expect(readdirSync(folder).filter(isPart)).toEqual([])
      expect(readdirSync(folder)).toHaveLength(2)
    },
  )

  it.each(midWriteConversions)(
    '$kind: its worker killed (a crash), while the queue runs on',
    { timeout: 120_000 },
    async ({ kind, make }) => {
      const { folder, input, spool } = await writing(make)
      const [id] = await spool.submit([{ kind, input }])
      await eventually(() => readdirSync(folder).some(isPart), 60_000)
      const [worker, ...others] = workerPids()
      expect(others).toEqual([])
      process.kill(worker!, 'SIGKILL')
      expect(await spool.wait(id!)).toMatchObject({ state: 'failed', error: { code: 'WORKER_CRASHED' } })
      await eventually(() => !readdirSync(folder).some(isPart), 10_000)
      expect(readdirSync(folder)).toEqual([basename(input.input as string)])
    },
  )
})
