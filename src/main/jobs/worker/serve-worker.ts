import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isJobErrorCode, type JobError } from '../../../shared/errors'
import type { AnyJobKind, JobContext } from '../define-job'
import type { MainMessage } from '../protocol'
import { TrackedChildren } from './tracked-children'
import { toWorkerPort, type HostPort, type WorkerPort } from './worker-port'

interface RunningJob {
  controller: AbortController
  children: TrackedChildren
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

/** Results travel as JSON: anything else (a function, a cycle) is the handler's bug, reported as such. */
function plainResult(result: unknown): unknown {
  return result === undefined ? null : JSON.parse(JSON.stringify(result))
}

/**
 * Serves jobs over the host's message port: runs each `run` with the kind's handler, forwards its progress,
 * log and children, and answers how it ended. Knows nothing of how this process was started.
 */
export function serveWorker(hostPort: HostPort, kinds: readonly AnyJobKind[]): WorkerPort {
  const port = toWorkerPort(hostPort)
  const byKind = new Map(kinds.map((kind) => [kind.kind, kind]))
  const running = new Map<string, RunningJob>()

  async function run(message: Extract<MainMessage, { t: 'run' }>): Promise<void> {
    const { jobId, attempt } = message
    const controller = new AbortController()
    const children = new TrackedChildren((t, pid) => port.post({ t, jobId, pid }))
    running.set(jobId, { controller, children })
    let tmpDir: string | undefined
    try {
      const kind = byKind.get(message.kind)
      if (!kind)
        throw Object.assign(new Error(`This worker has no handler for ${message.kind}`), { code: 'UNKNOWN_KIND' })
      tmpDir = await mkdtemp(join(tmpdir(), `spool-${jobId}-`))
      const input = kind.input.parse(message.input)
      const ctx: JobContext = {
        jobId,
        attempt,
        signal: controller.signal,
        tmpDir,
        progress: (progress) => port.post({ t: 'progress', jobId, progress }),
        log: (line) => port.post({ t: 'log', jobId, line: String(line).slice(0, 10_000) }),
        heartbeat: () => port.post({ t: 'heartbeat', jobId }),
        spawn: (command, args, options = {}) => children.spawn(command, args, options, controller.signal),
      }
      const result = plainResult(await kind.run(input, ctx))
      if (controller.signal.aborted) port.post({ t: 'cancelled', jobId })
      else port.post({ t: 'succeeded', jobId, result })
    } catch (error) {
      if (controller.signal.aborted) port.post({ t: 'cancelled', jobId })
      else port.post({ t: 'failed', jobId, error: describeFailure(error) })
    } finally {
      children.killAll()
      running.delete(jobId)
      if (tmpDir) await rm(tmpDir, { recursive: true, force: true }).catch(() => {})
    }
  }

  port.onMessage((raw) => {
    const message = raw as MainMessage
    if (message?.t === 'run') void run(message)
    else if (message?.t === 'cancel') running.get(message.jobId)?.controller.abort(new Error('Cancelled'))
    else if (message?.t === 'shutdown') shutdown(0)
  })

  function shutdown(code: number): void {
    for (const job of running.values()) job.children.killAll()
    process.exit(code)
  }
  // The host died: nothing of ours may outlive it.
  port.onDisconnect(() => shutdown(1))
  port.post({ t: 'ready', pid: process.pid })
  return port
}
