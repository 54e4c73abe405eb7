import type { Job, JobId, JobState } from '../../shared/job'

/**
 * The order the list shows: running jobs (in the order they started), then queued ones in the order they will
 * run, then finished ones, most recently finished first. Each of the three groups is kept sorted on its own,
 * so an event touches one small group or one end of a large one.
 */
export type JobGroup = 'running' | 'waiting' | 'finished'

export const groupOf: Record<JobState, JobGroup> = {
  running: 'running',
  queued: 'waiting',
  succeeded: 'finished',
  failed: 'finished',
  cancelled: 'finished',
}

/** Ids are decimal strings without leading zeros, so length then text orders them numerically. */
export function compareIds(a: JobId, b: JobId): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}

export const groupOrder: Record<JobGroup, (a: Job, b: Job) => number> = {
  running: (a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0) || compareIds(a.id, b.id),
  // The scheduler's order: higher priority first, then submission order.
  waiting: (a, b) => b.priority - a.priority || compareIds(a.id, b.id),
  finished: (a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0) || compareIds(b.id, a.id),
}

/** Whether a changed job keeps its place: same group and the same sort key. */
export function samePlace(before: Job, after: Job): boolean {
  const group = groupOf[before.state]
  return group === groupOf[after.state] && groupOrder[group](before, after) === 0
}

/** The first index at which `item` may go (after every entry that sorts before or with it). */
function insertionPoint(list: readonly JobId[], item: JobId, compare: (a: JobId, b: JobId) => number): number {
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (compare(list[mid]!, item) <= 0) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * Merges sorted `incoming` into sorted `existing`. A block that lands in one place (a new job at the end of
 * the queue, a page of consecutive ids, a just-finished job at the top of the finished ones) is spliced in
 * without comparing entry by entry.
 */
export function mergeSorted(
  existing: readonly JobId[],
  incoming: readonly JobId[],
  compare: (a: JobId, b: JobId) => number,
): JobId[] {
  if (incoming.length === 0) return existing as JobId[]
  if (existing.length === 0) return incoming as JobId[]
  const at = insertionPoint(existing, incoming[0]!, compare)
  if (at === existing.length || compare(incoming[incoming.length - 1]!, existing[at]!) < 0) {
    return at === existing.length
      ? existing.concat(incoming)
      : existing.slice(0, at).concat(incoming, existing.slice(at))
  }
  const merged = new Array<JobId>(existing.length + incoming.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < at) merged[k++] = existing[i++]!
  while (i < existing.length && j < incoming.length) {
    merged[k++] = compare(existing[i]!, incoming[j]!) <= 0 ? existing[i++]! : incoming[j++]!
  }
  while (i < existing.length) merged[k++] = existing[i++]!
  while (j < incoming.length) merged[k++] = incoming[j++]!
  return merged
}

/** Drops `gone` ids; jobs leave the queue from its front, so the scan usually stops early. */
export function withoutIds(list: readonly JobId[], gone: ReadonlySet<JobId>): JobId[] {
  if (gone.size === 0) return list as JobId[]
  const kept: JobId[] = []
  let left = gone.size
  let i = 0
  for (; i < list.length && left > 0; i++) {
    if (gone.has(list[i]!)) left--
    else kept.push(list[i]!)
  }
  return i === list.length ? kept : kept.concat(list.slice(i))
}
