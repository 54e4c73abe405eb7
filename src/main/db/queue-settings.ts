import { concurrencyParams } from '../../shared/schemas'
import type { SqliteDatabase } from './open-database'

/** What the user last set for the queue; a setting never made is absent. */
export interface QueueSettings {
  concurrency?: number
  paused?: boolean
}

/** The stored settings; one that does not read as a valid setting (edited by hand, say) is left out. */
export function readQueueSettings(db: SqliteDatabase): QueueSettings {
  const rows = db.prepare(`SELECT name, value FROM queue_settings`).all() as { name: string; value: string }[]
  const settings: QueueSettings = {}
  for (const { name, value } of rows) {
    let parsed: unknown
    try {
      parsed = JSON.parse(value)
    } catch {
      continue
    }
    if (name === 'concurrency' && concurrencyParams.safeParse(parsed).success) settings.concurrency = parsed as number
    if (name === 'paused' && typeof parsed === 'boolean') settings.paused = parsed
  }
  return settings
}

/** Stores each setting given, as part of the caller's write (see `JobStore.saveQueueSettings`). */
export function writeQueueSettings(db: SqliteDatabase, settings: QueueSettings): void {
  const upsert = db.prepare(
    `INSERT INTO queue_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
  )
  for (const [name, value] of Object.entries(settings)) if (value !== undefined) upsert.run(name, JSON.stringify(value))
}
