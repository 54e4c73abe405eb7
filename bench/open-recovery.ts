import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSpool } from '../src/main/jobs'
import { benchSpoolOptions } from './bench-spool'
import { subscribeWindows } from './fake-windows'
import { copyDatabase } from './fixture-db'

export interface OpenFigures {
  /** From calling `openSpool` to it returning (recovery, requeueing, scheduling every queued job). */
  openMs: number
  /** From calling `openSpool` to the first `started` event at a window. */
  firstStartMs: number
  firstStartedId: string
}

/** Opens a copy of a database a crash left behind and times it until the first job has started. */
export async function openToFirstStart(database: string): Promise<OpenFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-open-'))
  copyDatabase(database, dataDir)
  const called = performance.now()
  const spool = await openSpool(benchSpoolOptions(dataDir))
  const openMs = performance.now() - called
  try {
    const first = await new Promise<{ at: number; id: string }>((resolve) => {
      const { unsubscribe } = subscribeWindows(spool, 3, (batch, window) => {
        const started = window === 2 && batch.events.find((event) => event.type === 'started')
        if (!started || !('id' in started)) return
        unsubscribe()
        resolve({ at: performance.now(), id: started.id })
      })
    })
    return { openMs, firstStartMs: first.at - called, firstStartedId: first.id }
  } finally {
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** From forking a worker process (as `benchSpoolOptions` starts them) to its `ready`. */
export function workerStartMs(): Promise<number> {
  const worker = benchSpoolOptions('unused').launcher!.launch({})
  const started = performance.now()
  return new Promise((resolve, reject) => {
    worker.onMessage((message) => {
      if ((message as { t?: string }).t !== 'ready') return
      resolve(performance.now() - started)
      worker.kill()
    })
    worker.onExit(() => reject(new Error('the worker exited before it was ready')))
  })
}
