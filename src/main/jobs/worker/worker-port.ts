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

export function toWorkerPort(port: HostPort): WorkerPort {
  if ('postMessage' in port) {
    return {
      post: (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
      // Electron ends utility processes together with the app.
      onDisconnect: () => {},
    }
  }
  const forked = port as ForkedProcessLike
  return {
    post: (message) => forked.send?.(message),
    onMessage: (listener) => forked.on('message', listener),
    onDisconnect: (listener) => forked.on('disconnect', listener),
  }
}
