import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useSpool } from '../support/test-spool'

describe('events a window sees are already on disk', () => {
  const open = useSpool()

  // A window told "succeeded" must not see the job run again after a crash: the completion has to be
  // committed before the event leaves the engine. Another connection sees only committed rows.
  it('a succeeded event is sent only after the completion is committed', async () => {
    const { spool, dataDir } = await open({ concurrency: 2 })
    const reader = new Database(join(dataDir, 'spool.db'), { readonly: true })
    const stateOf = reader.prepare('SELECT state FROM jobs WHERE id = ?').pluck()
    const early: string[] = []
    const unsubscribe = spool.subscribe((batch) => {
      for (const event of batch.events) {
        const state = event.type === 'succeeded' && stateOf.get(Number(event.id))
        if (state && state !== 'succeeded') early.push(`${event.id} ${String(state)}`)
      }
    })
    try {
      const ids = await spool.submit(
        Array.from({ length: 60 }, (_, i) => ({ kind: 'debug.sleep', input: { ms: 5 + (i % 7) * 3, steps: 3 } })),
      )
      for (const id of ids) await spool.wait(id)
      expect(early).toEqual([])
    } finally {
      unsubscribe()
      reader.close()
    }
  })
})
