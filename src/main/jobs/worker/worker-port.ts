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
}

export type HostPort = ParentPortLike | ForkedProcessLike

/** The worker's side of the channel, the same whichever host started it. */
export interface WorkerPort {
  post(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /** The host went away (it crashed or was killed): the worker must clean up and exit. */
  onDisconnect(listener: () => void): void
}

/** Messages that must leave at once: the main process needs them even if this process dies right after. */
const urgent = new Set(['child', 'log', 'ready'])

/**
 * Sends the rest in batches, one port message per turn of the event loop: a short job's `started`, progress
 * and result cost the main process one message to read instead of three.
 */
function batched(send: (message: unknown) => void): (message: unknown) => void {
  let pending: unknown[] = []
  const flush = () => {
    const messages = pending
    pending = []
    if (messages.length === 1) send(messages[0])
    else if (messages.length > 1) send(messages)
  }
  return (message) => {
    if (urgent.has((message as { t?: string }).t ?? '')) {
      flush()
      return send(message)
    }
    if (pending.push(message) === 1) setImmediate(flush)
  }
}

export function toWorkerPort(port: HostPort): WorkerPort {
  if ('postMessage' in port) {
    return {
      post: batched((message) => port.postMessage(message)),
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
      // Electron ends utility processes together with the app.
      onDisconnect: () => {},
    }
  }
  const forked = port as ForkedProcessLike
  return {
    post: batched((message) => forked.send?.(message)),
    onMessage: (listener) => forked.on('message', listener),
    onDisconnect: (listener) => forked.on('disconnect', listener),
  }
}
