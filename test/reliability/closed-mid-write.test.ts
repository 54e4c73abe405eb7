import { readdirSync } from 'node:fs'
import { basename } from 'node:path'
import { describe, expect, it } from 'vitest'
import { midWriteConversions } from '../support/mid-write-conversions'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'

const isPart = (name: string) => name.endsWith('.spool-part')

describe('a conversion stopped by closing the queue mid-write', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  it.each(midWriteConversions)(
    '$kind leaves no temporary file beside its target, and runs again from the start at the next open',
    { timeout: 120_000 },
    async ({ kind, make }) => {
      const folder = tempDir()
      const input = await make(folder)
      const { spool, reopen } = await open({ roots: [folder] })
      const [id] = await spool.submit([{ kind, input }])
      await eventually(() => readdirSync(folder).some(isPart), 60_000)
      await spool.close()
      expect(readdirSync(folder)).toEqual([basename(input.input as string)])

      const again = await reopen()
      expect(await again.spool.get(id!)).toMatchObject({ state: expect.stringMatching(/^(queued|running)$/) })
      const done = await again.spool.wait(id!)
      expect(done).toMatchObject({ state: 'succeeded', attempts: 2 })
      expect(readdirSync(folder).filter(isPart)).toEqual([])
      expect(readdirSync(folder)).toHaveLength(2)
    },
  )
})
