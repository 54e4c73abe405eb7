import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listStatement } from '../src/main/db/list-statement'
import { openSpool, type Spool } from '../src/main/jobs'
import type { ListQuery } from '../src/shared/schemas'
import { benchSpoolOptions } from './bench-spool'
import { copyDatabase } from './fixture-db'
import { fixtureLabel } from './fixture-rows'

/** The pages a window asks for, over a database of `count` finished jobs (ids 1..count). */
export function pageQueries(count: number): { name: string; query: ListQuery }[] {
  const deep = String(Math.floor(count * 0.05))
  // A job about 40% of the way through the history, whose label is unique: a search for one file.
  const searched = fixtureLabel(Math.floor((count * 0.4) / 20) * 20).replace(/\.jpg$/, '')
  return [
    { name: 'first page', query: {} },
    { name: `deep page (cursor ${deep})`, query: { cursor: deep } },
    { name: 'state = failed', query: { states: ['failed'] } },
    { name: 'state = failed, deep page', query: { states: ['failed'], cursor: deep } },
    { name: 'kind = media.transcode', query: { kind: 'media.transcode' } },
    { name: 'state = cancelled and kind = file.decompress', query: { states: ['cancelled'], kind: 'file.decompress' } },
    { name: 'state = queued and kind = image.convert (none)', query: { states: ['queued'], kind: 'image.convert' } },
    { name: `text "${searched}" (one match)`, query: { text: searched } },
    { name: 'text ".mov" (many matches)', query: { text: '.mov' } },
  ]
}

export interface PageTimes {
  /** From calling `openSpool` to it returning, on this database. */
  openMs: number
  /** Milliseconds per call, `repeats` calls each: every page above, then `snapshot`; SQLite's plan for each page. */
  pages: { name: string; ms: number[]; rows: number; plan?: string }[]
}

/** SQLite's query plan for one page, as EXPLAIN QUERY PLAN words it. */
function queryPlan(dataDir: string, query: ListQuery): string {
  const db = new Database(join(dataDir, 'spool.db'), { readonly: true })
  try {
    const { sql, args } = listStatement(query)
    const steps = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]
    return steps.map((step) => step.detail).join('; ')
  } finally {
    db.close()
  }
}

/** `repeats` timed calls after a first one, fewer (at least 3) for a call so slow that 2 s would not hold them. */
async function timeCalls(repeats: number, call: () => Promise<unknown>): Promise<number[]> {
  await call()
  const times: number[] = []
  const began = performance.now()
  for (let i = 0; i < repeats && (i < 3 || performance.now() - began < 2000); i++) {
    const started = performance.now()
    await call()
    times.push(performance.now() - started)
  }
  return times
}

/** Times every page of `list` (100 jobs, the default) and `snapshot` through the engine's own commands. */
export async function listPageTimes(database: string, count: number, repeats: number): Promise<PageTimes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-list-'))
  copyDatabase(database, dataDir)
  let spool: Spool | undefined
  try {
    const called = performance.now()
    spool = await openSpool(benchSpoolOptions(dataDir, { startPaused: true }))
    const openMs = performance.now() - called
    const pages: PageTimes['pages'] = []
    for (const { name, query } of pageQueries(count)) {
      const rows = (await spool.list(query)).jobs.length
      pages.push({
        name,
        rows,
        ms: await timeCalls(repeats, () => spool!.list(query)),
        plan: queryPlan(dataDir, query),
      })
    }
    const snapshot = await spool.snapshot()
    pages.push({
      name: 'snapshot',
      rows: snapshot.active.length + snapshot.recent.length,
      ms: await timeCalls(repeats, () => spool!.snapshot()),
    })
    return { openMs, pages }
  } finally {
    await spool?.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
