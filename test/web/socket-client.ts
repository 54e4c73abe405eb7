import WebSocket from 'ws'
import type { EventBatch } from '../../src/shared/events'
import type { SocketResponse } from '../../src/shared/web-host'

export interface TestSocket {
  call(command: string, params?: unknown): Promise<SocketResponse>
  batches: EventBatch[]
  closed: Promise<{ code: number; reason: string }>
  raw: WebSocket
  close(): void
}

/** A script's connection to the host's socket: requests by id, pushed batches collected. */
export function openSocket(port: number, token: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const raw = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`, { headers })
  const pending = new Map<number | string, (response: SocketResponse) => void>()
  const batches: EventBatch[] = []
  let nextId = 1
  raw.on('message', (data) => {
    const message = JSON.parse(data.toString()) as SocketResponse | ({ type: 'events' } & EventBatch)
    if ('type' in message) batches.push({ seq: message.seq, events: message.events })
    else pending.get(message.id)?.(message)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    raw.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return new Promise((resolve, reject) => {
    raw.once('error', reject)
    raw.once('open', () =>
      resolve({
        raw,
        batches,
        closed,
        close: () => raw.close(),
        call(command, params) {
          const id = nextId++
          return new Promise((done) => {
            pending.set(id, done)
            raw.send(JSON.stringify({ id, command, params }))
          })
        },
      }),
    )
  })
}
