import { commandNames } from '../../shared/command-names'
import type { SpoolApi } from '../../shared/commands'
import type { JobError } from '../../shared/errors'
import type { EventListener } from '../../shared/events'
import type { BrowseResult, SocketPush, SocketResponse } from '../../shared/web-host'

/** Raised in the page for a command answered with `ok: false`; carries the typed code for toasts. */
export class CommandError extends Error {
  readonly code: JobError['code']
  constructor(error: JobError) {
    super(error.message)
    this.name = 'CommandError'
    this.code = error.code
  }
}

export interface SocketClient extends SpoolApi {
  browse(path?: string): Promise<BrowseResult>
  /** Called with true when the socket is up, false while it is down (the store resyncs on true). */
  onConnection(listener: (connected: boolean) => void): () => void
}

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

const retryDelaysMs = [250, 500, 1000, 2000, 4000]

/**
 * The dashboard's `SpoolApi` over the web host's socket. Requests made while the socket is down wait for the next
 * attempt to connect; a dropped socket reconnects with backoff, and every request not yet answered fails then
 * (its answer is lost with the socket, or it was never sent and never will be).
 */
export function connectSocket(url: string): SocketClient {
  const eventListeners = new Set<EventListener>()
  const connectionListeners = new Set<(connected: boolean) => void>()
  const pending = new Map<number, Pending>()
  const outbox: string[] = []
  let nextId = 1
  let socket: WebSocket
  let attempt = 0

  function open(): void {
    socket = new WebSocket(url)
    socket.onopen = () => {
      attempt = 0
      for (const message of outbox.splice(0)) socket.send(message)
      for (const listener of connectionListeners) listener(true)
    }
    socket.onmessage = (message) => receive(JSON.parse(String(message.data)) as SocketResponse | SocketPush)
    socket.onclose = () => {
      // Every waiting request is answered "lost" below; one still unsent must not go out later behind that answer.
      outbox.length = 0
      for (const [id, request] of pending) {
        pending.delete(id)
        request.reject(new CommandError({ code: 'UNAVAILABLE', message: 'Lost the connection to Spool' }))
      }
      for (const listener of connectionListeners) listener(false)
      setTimeout(open, retryDelaysMs[Math.min(attempt++, retryDelaysMs.length - 1)])
    }
  }

  function receive(message: SocketResponse | SocketPush): void {
    if ('type' in message) {
      const batch = { seq: message.seq, events: message.events }
      for (const listener of eventListeners) listener(batch)
      return
    }
    const request = pending.get(Number(message.id))
    if (!request) return
    pending.delete(Number(message.id))
    if (message.ok) request.resolve(message.value)
    else request.reject(new CommandError(message.error))
  }

  function call(command: string, params?: unknown): Promise<unknown> {
    const id = nextId++
    const text = JSON.stringify({ id, command, params })
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      if (socket.readyState === WebSocket.OPEN) socket.send(text)
      else outbox.push(text)
    })
  }

  open()
  const api = Object.fromEntries(commandNames.map((name) => [name, (params?: unknown) => call(name, params)]))
  return {
    ...(api as unknown as SpoolApi),
    onEvents(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
    browse: (path) => call('browse', path === undefined ? {} : { path }) as Promise<BrowseResult>,
  }
}
