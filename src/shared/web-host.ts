import type { EventBatch } from './events'
import type { JobError } from './errors'

export interface BrowseEntry {
  name: string
  path: string
  type: 'file' | 'folder'
  size?: number
}

export interface BrowseResult {
  /** The folder listed; absent when listing the roots themselves. */
  path?: string
  /** The folder above, when it is still inside a root. */
  parent?: string
  entries: BrowseEntry[]
  /** Entries of a huge folder left out after the first `limits.browseEntries` (names in order), if any. */
  more?: number
}

/** A request on `/ws?token=…`: a shared command or a web command by name. */
export interface SocketRequest {
  id: number | string
  command: string
  params?: unknown
}

export type SocketResponse =
  { id: number | string; ok: true; value: unknown } | { id: number | string; ok: false; error: JobError }

export type SocketPush = { type: 'events' } & EventBatch

/** Where a finished job's output can be downloaded from the web host (token-checked, under a root only). */
export function downloadUrl(token: string, jobId: string, index = 0): string {
  return `/download?token=${encodeURIComponent(token)}&job=${encodeURIComponent(jobId)}&output=${index}`
}
