import type { WebSocket } from 'ws'

/** How much a socket may hold unsent before its client counts as gone: well above one large event batch. */
export const defaultMaxBufferedBytes = 16 * 1024 * 1024

/**
 * Sends an event batch unless the client has stopped reading: then, rather than buffer every later batch
 * without bound, the socket is closed 1013 and the client, as on any reconnect, takes a new snapshot.
 * (Answers never take this way: a client behind on them is made to wait before its next request is read.) ws ends a close the client never
 * acknowledges after 30 s, so what is already buffered is freed then at the latest.
 */
export function sendWithinBacklog(socket: WebSocket, text: string, maxBufferedBytes: number): void {
  if (socket.readyState !== socket.OPEN) return
  if (socket.bufferedAmount > maxBufferedBytes) {
    socket.close(1013, 'Too far behind: reconnect and take a new snapshot')
    return
  }
  socket.send(text)
}
