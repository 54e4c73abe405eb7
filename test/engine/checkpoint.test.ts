import { execFile } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'

describe('the write-ahead log', () => {
  const open = useSpool()

  it('is copied into the database file while Spool runs, off the main thread, long before the log fills', async () => {
    const complaints = vi.spyOn(console, 'error')
    const { spool, dataDir } = await open()
    const file = join(dataDir, 'spool.db')
    const before = statSync(file).size
    const ids = await spool.submit(Array.from({ length: 2000 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))
    await spool.wait(ids[ids.length - 1]!)
    // 2,000 jobs make a few MB of log: the main connection alone would not checkpoint before 64 MB.
    await eventually(() => statSync(file).size > before + 256 * 1024, 5_000)
    expect(statSync(`${file}-wal`).size).toBeLessThan(64 * 2 ** 20)
    expect(complaints).not.toHaveBeenCalled()
    complaints.mockRestore()
  })

  it('is folded into the database file when Spool closes', async () => {
    const { spool, dataDir } = await open()
    const ids = await spool.submit(Array.from({ length: 200 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))
    await spool.wait(ids[ids.length - 1]!)
    await spool.close()
    await eventually(() => {
      try {
        return statSync(join(dataDir, 'spool.db-wal')).size === 0
      } catch {
        return true
      }
    }, 5_000)
  })

  const tempDir = useTempDir()

  it('a script that runs jobs and awaits close() ends on its own once closed', async () => {
    const engine = fileURLToPath(new URL('../../src/main/jobs/index.ts', import.meta.url))
    const script = `
      const { openSpool } = await import(${JSON.stringify(engine)})
      const spool = await openSpool({ dataDir: ${JSON.stringify(tempDir())}, concurrency: 1, diagnostics: true })
      // Enough work that the last checkpoint outlasts the workers' exit.
      const ids = await spool.submit(Array.from({ length: 5000 }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))
      await spool.wait(ids.at(-1))
      await spool.close()
      console.log('closed')`
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 60_000 },
    )
    expect(stdout.trim()).toBe('closed')
  }, 70_000)
})
