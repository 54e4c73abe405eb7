import { vi } from 'vitest'
import type { SpoolApi } from '../../src/shared/commands'
import type { EventBatch, EventListener } from '../../src/shared/events'
import { emptyCounts, isFinished, type Job, type JobState, type KindInfo, type Snapshot } from '../../src/shared/job'

export function job(id: number, state: JobState = 'queued', fraction = 0): Job {
  return {
    id: String(id),
    kind: 'debug.sleep',
    label: `Job ${id}`,
    state,
    input: { ms: 10 },
    priority: 0,
    attempts: state === 'queued' ? 0 : 1,
    maxAttempts: 1,
    progress: { fraction },
    createdAt: 1_000 + id,
    ...(state !== 'queued' && { startedAt: 2_000 }),
    ...(isFinished(state) && { finishedAt: 3_000 + id }),
  }
}

export const sleepKind: KindInfo = {
  kind: 'debug.sleep',
  title: 'Sleep',
  accepts: [],
  available: true,
  inputSchema: {
    type: 'object',
    properties: { ms: { type: 'integer', minimum: 0 }, steps: { type: 'integer', default: 1 }, result: {} },
    required: ['ms'],
  },
}

/** A kind that takes one file. */
export const hashKind: KindInfo = {
  kind: 'file.hash',
  title: 'Checksum',
  accepts: [],
  available: true,
  inputSchema: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
}

/** An in-memory `SpoolApi`: a snapshot and pages to answer, batches pushed by the test. */
export function fakeApi(options: { snapshot?: Partial<Snapshot>; all?: Job[]; pageSize?: number } = {}) {
  const listeners = new Set<EventListener>()
  const all = options.all ?? []
  const snapshot: Snapshot = {
    seq: 0,
    counts: emptyCounts(),
    queue: { paused: false, concurrency: 2, counts: emptyCounts(), finishedBeforeRun: 0 },
    active: [],
    recent: [],
    ...options.snapshot,
  }
  const api = {
    snapshot: vi.fn(async () => structuredClone(snapshot)),
    list: vi.fn(async (query: { cursor?: string; limit?: number; order?: 'asc' | 'desc' } = {}) => {
      const { cursor, limit = 100, order = 'desc' } = query
      const sorted = [...all].sort((a, b) => (order === 'asc' ? 1 : -1) * (Number(a.id) - Number(b.id)))
      const start = cursor ? Number(cursor) : 0
      const size = Math.min(limit, options.pageSize ?? limit)
      const jobs = sorted.slice(start, start + size)
      return start + size < sorted.length ? { jobs, nextCursor: String(start + size) } : { jobs }
    }),
    kinds: vi.fn(async () => [sleepKind]),
    submit: vi.fn(async (specs: unknown[]) => specs.map((_, i) => String(100 + i))),
    cancel: vi.fn(async () => 1),
    retry: vi.fn(async ({ ids }: { ids: string[] }) => ids),
    remove: vi.fn(async ({ ids }: { ids: string[] }) => ids.length),
    get: vi.fn(async (id: string) => all.find((candidate) => candidate.id === id) ?? null),
    pause: vi.fn(async () => ({ ...snapshot.queue, paused: true })),
    resume: vi.fn(async () => snapshot.queue),
    setConcurrency: vi.fn(async (value: number) => ({ ...snapshot.queue, concurrency: value })),
    onEvents(listener: EventListener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return {
    api: api as unknown as SpoolApi & typeof api,
    snapshot,
    all,
    push: (batch: EventBatch) => listeners.forEach((listener) => listener(batch)),
  }
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 5))
