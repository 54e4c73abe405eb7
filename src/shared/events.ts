import type { Job, JobId, Progress, QueueState } from './job'

/** What changed. Every job event names its job's `id`; the ones that change state carry the whole job. */
export type JobEvent =
  | { type: 'added'; id: JobId; job: Job }
  | { type: 'started'; id: JobId; job: Job }
  | { type: 'progress'; id: JobId; progress: Progress }
  | { type: 'succeeded'; id: JobId; job: Job }
  | { type: 'failed'; id: JobId; job: Job; willRetry: boolean }
  | { type: 'cancelled'; id: JobId; job: Job }
  /** Asked to cancel while it ran: it is stopping (`job.stopping`), and a `cancelled` or other end follows. */
  | { type: 'stopping'; id: JobId; job: Job }
  /** Its work is done; its outputs are being put in place (`job.saving`) while the next job starts. An end follows. */
  | { type: 'saving'; id: JobId; job: Job }
  | { type: 'removed'; id: JobId }
  | { type: 'queue'; queue: QueueState }

export type JobEventType = JobEvent['type']

/** Events are delivered in batches; `seq` rises by exactly one per batch, so a gap means "take a new snapshot". */
export interface EventBatch {
  seq: number
  events: JobEvent[]
}

export type EventListener = (batch: EventBatch) => void
