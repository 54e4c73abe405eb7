import { withoutIsolationMarks } from '../../shared/isolated-names'
import type { ListQuery } from '../../shared/schemas'
import { jobColumns } from './job-row'

/** The ids one scan step may look at, both ends included. */
export interface IdRange {
  from: number
  to: number
}

/**
 * The SQL for one step of a `list` page: the filters, the ids of this step (keyset on the id, no OFFSET scan),
 * at most `want` rows in the page's order. A single state is bound with `=` so that SQLite can use the partial
 * index of failed and cancelled jobs; a text search alone reads labels and kinds from their covering index
 * (a tenth of the bytes of a whole row) and fetches only the rows that match.
 */
export function listStatement(
  query: ListQuery,
  range: IdRange,
  want: number,
): { sql: string; args: (string | number)[] } {
  const desc = (query.order ?? 'desc') === 'desc'
  const where: string[] = ['id BETWEEN ? AND ?']
  const args: (string | number)[] = [range.from, range.to]
  const states = query.states ?? []
  if (states.length === 1) {
    where.push('state = ?')
    args.push(states[0]!)
  } else if (states.length > 1) {
    where.push(`state IN (${states.map(() => '?').join(',')})`)
    args.push(...states)
  }
  if (query.kind) {
    // Running and queued jobs are few beside the history: reach them by state, never through every job of the kind.
    const live = states.length > 0 && states.every((state) => state === 'queued' || state === 'running')
    where.push(live ? '+kind = ?' : 'kind = ?')
    args.push(query.kind)
  }
  const byText = Boolean(query.text) && states.length === 0 && !query.kind
  if (query.text) {
    // A label matches as it is shown: without the marks that isolate a file name (U+2068, U+2069). The engine's
    // labels open with the first mark and follow the second with a space, so only a search holding a space can
    // run across one; reading past the marks costs a scan about 1.7× its time, so only such a search pays it.
    const text = withoutIsolationMarks(query.text)
    const label = /\s/.test(text) ? `replace(replace(label, char(8296), ''), char(8297), '')` : 'label'
    where.push(`(${label} LIKE ? ESCAPE '\\' OR kind LIKE ? ESCAPE '\\')`)
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    args.push(pattern, pattern)
  }
  const order = `ORDER BY id ${desc ? 'DESC' : 'ASC'}`
  const sql = byText
    ? `SELECT ${jobColumns} FROM jobs WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_text
         WHERE ${where.join(' AND ')} ${order} LIMIT ?) ${order}`
    : `SELECT ${jobColumns} FROM jobs WHERE ${where.join(' AND ')} ${order} LIMIT ?`
  return { sql, args: [...args, want] }
}
