import type { ListQuery } from '../../shared/schemas'

/**
 * The SQL for one page of `list`: filters on indexed columns, keyset pagination on the id (no OFFSET scan),
 * one row more than the page to tell whether another page follows.
 */
export function listStatement(query: ListQuery): { sql: string; args: (string | number)[]; limit: number } {
  const limit = query.limit ?? 100
  const desc = (query.order ?? 'desc') === 'desc'
  const where: string[] = []
  const args: (string | number)[] = []
  if (query.states?.length) {
    where.push(`state IN (${query.states.map(() => '?').join(',')})`)
    args.push(...query.states)
  }
  if (query.kind) {
    where.push('kind = ?')
    args.push(query.kind)
  }
  if (query.text) {
    where.push(`(label LIKE ? ESCAPE '\\' OR kind LIKE ? ESCAPE '\\')`)
    const pattern = `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    args.push(pattern, pattern)
  }
  const cursor = query.cursor === undefined ? NaN : Number(query.cursor)
  if (Number.isInteger(cursor)) {
    where.push(desc ? 'id < ?' : 'id > ?')
    args.push(cursor)
  }
  const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY id ${desc ? 'DESC' : 'ASC'} LIMIT ?`
  return { sql, args: [...args, limit + 1], limit }
}
