import { logTailLines } from '../protocol'

/** Electron's `process.parentPort`: messages arrive wrapped as `{ data }`. */
interface ParentPortLike {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
}

/** Node's forked process: messages arrive as they were sent. */
interface ForkedProcessLike {
  send?: (message: unknown) => unknown
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'disconnect', listener: () => void): unknown
  /** A message could not be sent: the channel is closed or its pipe broken. */
  on(event: 'error', listener: (error: Error) => void): unknown
}

export type HostPort = ParentPortLike | ForkedProcessLike

/** The worker's side of the channel, the same whichever host started it. */
export interface WorkerPort {
  post(message: unknown): void
  /** Sends these at once, in order, in one message with whatever waits before them. */
  postNow(messages: readonly unknown[]): void
  /**
   * Sends what waits at once if it holds a job's end and the last message left `sinceMs` or more ago: work
   * done meanwhile must not be lost with the process (a job about to start could kill it).
   */
  flush(sinceMs?: number): void
  onMessage(listener: (message: unknown) => void): void
  /** The host went away (it crashed or was killed): the worker must clean up and exit. */
  onDisconnect(listener: () => void): void
}

/** Messages that must leave at once: the main process needs them even if this process dies right after. */
const urgent = new Set(['child', 'ready'])
const jobEnds = new Set(['succeeded', 'failed', 'cancelled'])
/**
 * Progress reports, heartbeats and log lines: a stream of them leaves at most once per window. Progress is a
 * state, not a log: only a job's latest report travels; one heartbeat says a job is alive as well as a
 * thousand; of log lines, a job's last `logTailLines`, all the host keeps.
 */
const windowMs = 16
/** Stands in for a message made pointless by a later one in the same batch. */
const superseded: Outgoing = {}

interface Outgoing {
  t?: string
  jobId?: string
  progress?: { fraction?: number | null; done?: number; total?: number }
}

/** A report that says the work is all done: the job's end, which says it better, usually follows at once. */
function saysDone(message: Outgoing): boolean {
  const progress = message.progress
  return progress?.fraction === 1 || (progress?.done !== undefined && progress.done === progress.total)
}

/**
 * Sends messages in batches, one port message per turn of the event loop, so a short job's start, progress
 * and result cost the main process one message to read instead of three. Progress after a quiet spell leaves
 * with this turn, a log line at once (a job's last words before it brings its process down reach the host);
 * a stream of them, or of heartbeats, once per window, folded as `windowMs` says: a handler reporting 10,000
 * times a second costs the host 60 messages, and one logging 100,000 lines in a loop is not taken for a
 * worker flooding its host.
 */
function batched(send: (message: unknown) => void): {
  post: (message: unknown) => void
  postNow: (messages: readonly unknown[]) => void
  flush: () => void
  /** Whether a job's end waits to leave. */
  holdsEnd: () => boolean
} {
  let pending: Outgoing[] = []
  /** Where each job's latest progress report waits in `pending`. */
  let progressAt = new Map<string, number>()
  /** Where each job's log lines wait in `pending`, oldest first. */
  let linesAt = new Map<string, number[]>()
  /** Jobs whose heartbeat waits. */
  let beating = new Set<string>()
  let timer: NodeJS.Timeout | null = null
  let immediate: NodeJS.Immediate | null = null
  /** When progress or a heartbeat last left, and when a log line did. */
  let windowedSentAt = -Infinity
  let linesSentAt = -Infinity
  const flush = () => {
    if (timer) clearTimeout(timer)
    if (immediate) clearImmediate(immediate)
    timer = immediate = null
    if (progressAt.size > 0 || beating.size > 0) windowedSentAt = performance.now()
    if (linesAt.size > 0) linesSentAt = performance.now()
    const messages = pending.filter((message) => message !== superseded)
    pending = []
    progressAt = new Map()
    linesAt = new Map()
    beating = new Set()
    if (messages.length === 1) send(messages[0])
    else if (messages.length > 1) send(messages)
  }
  const postNow = (messages: readonly unknown[]) => {
    pending.push(...(messages as Outgoing[]))
    flush()
  }
  /** What waits leaves once the window since the last progress or heartbeat is over, with this turn if it is. */
  const flushInWindow = (wait = windowedSentAt + windowMs - performance.now()) => {
    if (timer || immediate) return
    if (wait <= 0) immediate = setImmediate(flush)
    else timer = setTimeout(flush, wait)
  }
  const postWindowed = (message: Outgoing, jobId: string) => {
    switch (message.t) {
      case 'progress': {
        const at = progressAt.get(jobId)
        if (at !== undefined) return void (pending[at] = message)
        progressAt.set(jobId, pending.push(message) - 1)
        // One that says the work is done waits for the window: the job's end most often replaces it, one
        // message for two.
        return flushInWindow(saysDone(message) ? windowMs : undefined)
      }
      case 'heartbeat':
        if (beating.has(jobId)) return
        beating.add(jobId)
        pending.push(message)
        return flushInWindow()
      case 'log': {
        // The first line after a quiet spell leaves at once, with whatever waits before it.
        if (performance.now() - linesSentAt >= windowMs) {
          linesSentAt = performance.now()
          return postNow([message])
        }
        let waiting = linesAt.get(jobId)
        if (!waiting) linesAt.set(jobId, (waiting = []))
        waiting.push(pending.push(message) - 1)
        if (waiting.length > logTailLines) pending[waiting.shift() as number] = superseded
        return flushInWindow(linesSentAt + windowMs - performance.now())
      }
    }
  }
  const post = (raw: unknown) => {
    const message = raw as Outgoing
    const { t, jobId } = message
    if (urgent.has(t ?? '')) return postNow([message])
    if (jobId !== undefined && (t === 'progress' || t === 'heartbeat' || t === 'log'))
      return postWindowed(message, jobId)
    // A success says "done" better than the last progress before it: that report need not travel.
    const at = t === 'succeeded' && jobId !== undefined ? progressAt.get(jobId) : undefined
    if (at !== undefined) {
      pending[at] = superseded
      progressAt.delete(jobId as string)
    }
    pending.push(message)
    immediate ??= setImmediate(flush)
  }
  const holdsEnd = () => pending.some((message) => message.t !== undefined && jobEnds.has(message.t))
  return { post, postNow, flush, holdsEnd }
}

/** A batched port, and when it last sent anything. */
function workerPort(
  send: (message: unknown) => void,
  port: Pick<WorkerPort, 'onMessage' | 'onDisconnect'>,
): WorkerPort {
  let sentAt = performance.now()
  const batch = batched((message) => {
    sentAt = performance.now()
    send(message)
  })
  return {
    ...port,
    post: batch.post,
    postNow: batch.postNow,
    flush: (sinceMs = 0) => {
      if (batch.holdsEnd() && performance.now() - sentAt >= sinceMs) batch.flush()
    },
  }
}

export function toWorkerPort(port: HostPort): WorkerPort {
  if ('postMessage' in port) {
    return workerPort((message) => port.postMessage(message), {
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
      // Electron ends utility processes together with the app.
      onDisconnect: () => {},
    })
  }
  const forked = port as ForkedProcessLike
  return workerPort((message) => forked.send?.(message), {
    onMessage: (listener) => forked.on('message', listener),
    onDisconnect: (listener) => {
      forked.on('disconnect', listener)
      // A message the host can no longer take says it is gone before the disconnect does (a job reported a
      // child just as the host died). Unheard, that error would end the worker before it cleaned up.
      forked.on('error', () => listener())
    },
  })
}
