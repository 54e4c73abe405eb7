import { afterEach } from 'vitest'
import type { EventBatch, JobEvent } from '../../src/shared/events'
import { openSpool, type Spool, type SpoolOptions } from '../../src/main/jobs'
import { useTempDir } from './temp-dir'

export interface TestSpool {
  spool: Spool
  dataDir: string
  batches: EventBatch[]
  events(type?: JobEvent['type']): JobEvent[]
  /** Reopens the same data dir (after closing this one), as an app restart would. */
  reopen(options?: Partial<SpoolOptions>): Promise<TestSpool>
}

/**
 * Opens real Spools on temp data dirs with diagnostic kinds and closes them after each test, so every
 * worker process they started is gone before the next test.
 */
export function useSpool(
  defaults: Partial<SpoolOptions> = {},
): (options?: Partial<SpoolOptions>) => Promise<TestSpool> {
  const tempDir = useTempDir()
  const open: Spool[] = []
  afterEach(async () => {
    for (const spool of open.splice(0)) await spool.close()
  })
  const start = async (dataDir: string, options: Partial<SpoolOptions>): Promise<TestSpool> => {
    const spool = await openSpool({
      concurrency: 2,
      diagnostics: true,
      cancelGraceMs: 1000,
      ...defaults,
      ...options,
      dataDir,
    })
    open.push(spool)
    const batches: EventBatch[] = []
    spool.subscribe((batch) => batches.push(batch))
    return {
      spool,
      dataDir,
      batches,
      events: (type) => batches.flatMap((batch) => batch.events).filter((event) => !type || event.type === type),
      reopen: async (more = {}) => {
        await spool.close()
        return start(dataDir, { ...options, ...more })
      },
    }
  }
  return (options = {}) => start(options.dataDir ?? tempDir(), options)
}

export function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  return promise.then(
    () => {
      throw new Error(`expected a ${code} error, but it succeeded`)
    },
    (error: { code?: string }) => {
      if (error?.code !== code) throw new Error(`expected ${code}, got ${error?.code}: ${String(error)}`)
    },
  )
}

/** Resolves once `check` passes, polling; for states reached through other processes. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const value = await check()
      if (value !== false && value !== undefined && value !== null) return value as Exclude<T, false | null | undefined>
      if (Date.now() > deadline) throw new Error('condition was never met')
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
