import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listStatement } from '../src/main/db/list-statement'
import { openSpool, type Spool } from '../src/main/jobs'
import type { JobPage } from '../src/shared/job'
import type { ListQuery } from '../src/shared/schemas'
import { benchSpoolOptions } from './bench-spool'
import { copyDatabase } from './fixture-db'
import { fixtureLabel } from './fixture-rows'

/** The pages a window or a script asks for (the rarest filters among them), over a database of `count` finished jobs (ids 1..count). */
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
    {
      name: 'state = failed or cancelled and kind = file.decompress',
      query: { states: ['failed', 'cancelled'], kind: 'file.decompress' },
    },
    { name: 'state = succeeded and kind = debug.sleep (none)', query: { states: ['succeeded'], kind: 'debug.sleep' } },
    { name: `text "${searched}" (one match)`, query: { text: searched } },
    { name: 'text "no-such-file" (none)', query: { text: 'no-such-file' } },
    { name: 'text ".mov" (many matches)', query: { text: '.mov' } },
    { name: 'text "clip-" and state = cancelled', query: { text: 'clip-', states: ['cancelled'] } },
  ]
}

export interface PageTimes {
  /** From calling `openSpool` to it returning, on this database. */
  openMs: number
  /**
   * Milliseconds per call: each page above asked for until 100 jobs are found or the history ends (a search
   * with few matches takes many calls, each stopped at the scan budget), then `snapshot`; how many calls the
   * first walk took, and SQLite's plan for one scan step of each page.
   */
  pages: { name: string; ms: number[]; calls: number; rows: number; plan?: string }[]
}

/** SQLite's plan for one scan step of a page (over the whole history), as EXPLAIN QUERY PLAN words it. */
function queryPlan(dataDir: string, query: ListQuery, count: number): string {
  const db = new Database(join(dataDir, 'spool.db'), { readonly: true })
  try {
    const { sql, args } = listStatement(query, { from: 1, to: count }, 101)
    const steps = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]
    return steps.map((step) => step.detail).join('; ')
  } finally {
    db.close()
  }
}

/** Asks for pages until they hold 100 jobs or there is no cursor; answers each call's time. */
async function walk(list: (cursor?: string) => Promise<JobPage>): Promise<{ ms: number[]; rows: number }> {
  const ms: number[] = []
  let rows = 0
  let cursor: string | undefined
  do {
    const started = performance.now()
    const page = await list(cursor)
    ms.push(performance.now() - started)
    rows += page.jobs.length
    cursor = page.nextCursor
  } while (cursor !== undefined && rows < 100)
  return { ms, rows }
}

/** `repeats` timed walks after a first one, fewer (at least 3) for walks so slow that 2 s would not hold them. */
async function timeWalks(repeats: number, list: (cursor?: string) => Promise<JobPage>) {
  const first = await walk(list)
  const ms: number[] = []
  const began = performance.now()
  for (let i = 0; i < repeats && (i < 3 || performance.now() - began < 2000); i++) ms.push(...(await walk(list)).ms)
  return { ms, calls: first.ms.length, rows: first.rows }
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
      const list = (cursor?: string) => spool!.list({ ...query, ...(cursor !== undefined && { cursor }) })
      pages.push({ name, ...(await timeWalks(repeats, list)), plan: queryPlan(dataDir, query, count) })
    }
    const snapshot = async () => ({ jobs: [], ...(await spool!.snapshot()) })
    pages.push({ name: 'snapshot', ...(await timeWalks(repeats, snapshot)) })
    return { openMs, pages }
  } finally {
    await spool?.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
