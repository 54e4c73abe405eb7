// Run by list-heap.ts in a fresh process (with --expose-gc): the main process's memory once Spool has opened
// a database (or an empty one) and served a window's first requests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSpool } from '../src/main/jobs'
import { benchSpoolOptions } from './bench-spool'
import { copyDatabase } from './fixture-db'
import { reportToParent } from './in-child'

const [database] = process.argv.slice(2)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const settled = () => {
  gc()
  gc()
  return process.memoryUsage()
}
const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-heap-'))
if (database) copyDatabase(database, dataDir)
const before = settled()
const spool = await openSpool(benchSpoolOptions(dataDir, { startPaused: true }))
await spool.snapshot()
await spool.list({ limit: 1000 })
const after = settled()
await spool.close()
rmSync(dataDir, { recursive: true, force: true })
await reportToParent({
  heapUsed: after.heapUsed,
  heapDelta: after.heapUsed - before.heapUsed,
  rss: after.rss,
  rssDelta: after.rss - before.rss,
})
