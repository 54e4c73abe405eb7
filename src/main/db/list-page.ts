import type { Statement } from 'better-sqlite3'
import type { JobPage } from '../../shared/job'
import type { ListQuery } from '../../shared/schemas'
import { answerChars, readWithin, rowToJob, type JobRow } from './job-row'
import type { SqliteDatabase } from './open-database'
import { listStatement, type IdRange } from './list-statement'

/**
 * How long one page may look for matches. A filter no index serves (a text search, a rare pair) would otherwise
 * read the whole history in one call: seconds over a million jobs, with the main process blocked throughout.
 */
export const scanBudgetMs = 8

/** The first step looks at this many ids (or four pages' worth); each next one grows to what the budget allows. */
const firstSpan = 512
const maxGrowth = 4

/** Statements by their SQL: a window pages with a few shapes of filter, step after step. */
const statements = new WeakMap<SqliteDatabase, Map<string, Statement>>()
const maxStatements = 64

function prepared(db: SqliteDatabase, sql: string): Statement {
  let cache = statements.get(db)
  if (!cache) statements.set(db, (cache = new Map()))
  let statement = cache.get(sql)
  if (!statement) {
    if (cache.size >= maxStatements) cache.clear()
    cache.set(sql, (statement = db.prepare(sql)))
  }
  return statement
}

/**
 * One page of `list`, in id order, scanning the history in steps of ids until the page is full, the history
 * ends, or the budget is spent. In the last case the page holds what was found (maybe nothing) and its
 * `nextCursor` is where the scan stopped, so a caller asks again to go on. Only the last page has no cursor.
 * A page also ends once it holds `maxChars` of job data (see `answerChars`), its cursor after its last job.
 */
export function readListPage(
  db: SqliteDatabase,
  query: ListQuery,
  options: { budgetMs?: number; maxChars?: number; now?: () => number } = {},
): JobPage {
  const { budgetMs = scanBudgetMs, maxChars = answerChars, now = () => performance.now() } = options
  const began = now()
  const limit = query.limit ?? 100
  const desc = (query.order ?? 'desc') === 'desc'
  // Two statements: SQLite answers a lone min() or max() from the end of the index, but scans for both at once.
  const lowest = prepared(db, `SELECT min(id) FROM jobs`).pluck().get() as number | null
  const highest = prepared(db, `SELECT max(id) FROM jobs`).pluck().get() as number | null
  if (lowest === null || highest === null) return { jobs: [] }
  const cursor = query.cursor === undefined ? null : Number(query.cursor)
  // The edge of what was scanned: every id beyond it in the page's direction is still to look at.
  let edge = desc ? Math.min(cursor ?? Infinity, highest + 1) : Math.max(cursor ?? -Infinity, lowest - 1)
  const last = desc ? lowest : highest
  const rows: JobRow[] = []
  let chars = 0
  let span = Math.max(firstSpan, limit * 4)
  for (;;) {
    const left = desc ? edge - last : last - edge
    if (left <= 0) return { jobs: rows.map((row) => rowToJob(row)) }
    const step = Math.min(span, left)
    const range: IdRange = desc ? { from: edge - step, to: edge - 1 } : { from: edge + 1, to: edge + step }
    const stepBegan = now()
    const want = limit + 1 - rows.length
    const { sql, args } = listStatement(query, range, want)
    const found = readWithin(prepared(db, sql).iterate(...args), want, maxChars - chars)
    rows.push(...found.rows)
    chars += found.chars
    if (found.full && rows.length <= limit) {
      const page = rows.map((row) => rowToJob(row))
      return { jobs: page, nextCursor: page[page.length - 1]!.id }
    }
    edge = desc ? range.from : range.to
    if (rows.length > limit) {
      const page = rows.slice(0, limit).map((row) => rowToJob(row))
      return { jobs: page, nextCursor: page[page.length - 1]!.id }
    }
    const finished = now()
    const remaining = budgetMs - (finished - began)
    if (remaining <= 0)
      return { jobs: rows.map((row) => rowToJob(row)), ...(step < left && { nextCursor: String(edge) }) }
    // Ids per millisecond of the last step, to size the next one to what is left of the budget.
    const rate = step / Math.max(finished - stepBegan, 0.01)
    span = Math.max(firstSpan, Math.min(span * maxGrowth, Math.floor(rate * remaining)))
  }
}
