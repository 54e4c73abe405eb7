import type { SqliteDatabase } from './open-database'

/** A file or folder the user handed Spool, resolved after symlinks (see `PathPolicy.grant`). */
export interface Grant {
  path: string
  folder: boolean
}

/**
 * How many grants are kept, the most recent: a user who picks a few thousand photos a day still finds last
 * month's queue and retries allowed, and the table stays a few megabytes at most.
 */
export const keptGrants = 50_000

/** Every grant kept, for the path policy to start with. */
export function readGrants(db: SqliteDatabase): Grant[] {
  const rows = db.prepare(`SELECT path, folder FROM grants`).raw().all() as [string, number][]
  return rows.map(([path, folder]) => ({ path, folder: folder === 1 }))
}

/**
 * Keeps `grants` (granted again: as of now), then forgets the oldest beyond `keep`. Part of the caller's write
 * (see `JobStore.saveGrants`): a grant is on disk no later than the jobs submitted with it.
 */
export function writeGrants(db: SqliteDatabase, grants: readonly Grant[], now: number, keep = keptGrants): void {
  const upsert = db.prepare(
    `INSERT INTO grants (path, folder, granted_at) VALUES (?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET folder = excluded.folder, granted_at = excluded.granted_at`,
  )
  for (const { path, folder } of grants) upsert.run(path, folder ? 1 : 0, now)
  const count = db.prepare(`SELECT count(*) FROM grants`).pluck().get() as number
  if (count <= keep) return
  db.prepare(`DELETE FROM grants WHERE path IN (SELECT path FROM grants ORDER BY granted_at ASC, path LIMIT ?)`).run(
    count - keep,
  )
}
