import { rm } from 'node:fs/promises'
import { isJobErrorCode, type JobError } from '../../../shared/errors'
import { limits } from '../../../shared/limits'
import type { AnyJobKind } from '../define-job'
import type { PlacedFile } from '../outputs/earlier-outputs'
import type { MainMessage } from '../protocol'
import type { JobAbort } from './job-abort'
import { WorkerJobContext } from './job-context'
import { TrackedChildren } from './tracked-children'

export type RunMessage = Extract<MainMessage, { t: 'run' }>

/** A message about one job, from the worker to the host. */
export interface JobMessage {
  t: string
  jobId: string
  [field: string]: unknown
}

/** What a thrown value becomes across the boundary: its own code if it has one, else `HANDLER_ERROR`. */
export function describeFailure(error: unknown): JobError {
  const err = error as { code?: unknown; message?: unknown; detail?: unknown } | null
  const message = typeof err?.message === 'string' ? err.message.slice(0, 4000) : String(error).slice(0, 4000)
  if (err && isJobErrorCode(err.code)) {
    const detail = err.detail && typeof err.detail === 'object' ? (err.detail as Record<string, unknown>) : undefined
    return detail ? { code: err.code, message, detail } : { code: err.code, message }
  }
  if (err?.code === 'ENOSPC') return { code: 'DISK_FULL', message: 'The disk is full' }
  return { code: 'HANDLER_ERROR', message: message || 'The job failed without a message' }
}

/** How long a job ran in this worker, in milliseconds to the microsecond: how long jobs take, for the host. */
export function ranFor(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`

/**
 * Results travel as JSON, kept with the job and sent to every window: anything else (a function, a cycle),
 * or a result too large for that, is the handler's bug, reported as such.
 */
function plainResult(result: unknown): unknown {
  if (result === undefined) return null
  const json = JSON.stringify(result)
  if (json.length > limits.resultBytes)
    throw new Error(
      `The job's result is too large to keep (${megabytes(json.length)} as JSON, at most ` +
        `${megabytes(limits.resultBytes)}); a job with that much to say writes it to a file`,
    )
  return JSON.parse(json)
}

/**
 * Runs one job with its kind's handler, forwarding progress, log and children through `post`, and posts how
 * it ended (and, if it ran to an end of its own, how long it ran). Its temp folder and any child still running
 * are gone when the returned promise settles.
 */
export async function runJob(
  message: RunMessage,
  kind: AnyJobKind | undefined,
  abort: JobAbort,
  children: TrackedChildren,
  post: (message: JobMessage) => void,
  recordOutputs?: (files: readonly PlacedFile[]) => Promise<void>,
): Promise<void> {
  const { jobId } = message
  const since = performance.now()
  let ctx: WorkerJobContext | undefined
  try {
    if (!kind)
      throw Object.assign(new Error(`This worker has no handler for ${message.kind}`), { code: 'UNKNOWN_KIND' })
    ctx = new WorkerJobContext(message, abort, children, post, recordOutputs)
    // The main process stored the input as its schema parsed it; parsing again would re-apply transforms.
    const result = plainResult(await kind.run(message.input, ctx))
    // A handler that returns has done its work, outputs in place, even if a cancel arrived meanwhile: the
    // job ends as it really did. A handler stops for a cancel by throwing (`signal.throwIfAborted()`).
    post({ t: 'succeeded', jobId, result, ms: ranFor(since) })
  } catch (error) {
    post(
      abort.aborted
        ? { t: 'cancelled', jobId }
        : { t: 'failed', jobId, error: describeFailure(error), ms: ranFor(since) },
    )
  } finally {
    children.killAll()
    const tmpDir = ctx?.madeTmpDir
    if (tmpDir) await rm(tmpDir, { recursive: true, force: true }).catch(() => {})
  }
}
