import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
    { name: `text "${searched}" (one match)`, query: { text: searched } },
    { name: 'text ".mov" (many matches)', query: { text: '.mov' } },
  ]
}

export interface PageTimes {
  /** From calling `openSpool` to it returning, on this database. */
  openMs: number
  /** Milliseconds per call, `repeats` calls each: every page above, then `snapshot`. */
  pages: { name: string; ms: number[]; rows: number }[]
}

async function timeCalls(repeats: number, call: () => Promise<unknown>): Promise<number[]> {
  await call()
  const times: number[] = []
  for (let i = 0; i < repeats; i++) {
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
      pages.push({ name, rows, ms: await timeCalls(repeats, () => spool!.list(query)) })
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
