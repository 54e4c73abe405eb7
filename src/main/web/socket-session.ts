import type { WebSocket } from 'ws'
import { dispatchCommand } from '../../shared/validate'
import { toJobError } from '../../shared/errors'
import { parseOrThrow } from '../../shared/validate'
import { browseParams } from '../../shared/web-commands'
import type { SocketResponse } from '../../shared/web-host'
import type { PathPolicy } from '../jobs/path-policy'
import type { Spool } from '../jobs/types'
import { browse } from './browse'

/**
 * Requests of one socket the engine works on at once; while that many wait, or while more than
 * `maxBufferedBytes` of answers wait unsent, the host stops reading more.
 */
const maxInFlight = 64
/**
 * Requests already read when reading stopped (ws still delivers what it has buffered). Far more than that
 * means the socket did not pause: a runaway client, cut off.
 */
const maxWaiting = 20_000

interface SocketRequest {
  id: number | string
  command: unknown
  params: unknown
}

/**
 * The text of an answer. One too large for a JavaScript string (a page of jobs with megabyte inputs) cannot
 * be sent: the request gets a typed error saying so instead of no answer at all.
 */
export function encodeAnswer(command: unknown, response: SocketResponse): string {
  try {
    return JSON.stringify(response)
  } catch {
    const name = typeof command === 'string' ? command.slice(0, 40) : 'this request'
    const message = `The answer to ${name} is too large to send; ask for less (a smaller list limit)`
    return JSON.stringify({
      id: response.id,
      ok: false,
      error: { code: 'INVALID_INPUT', message },
    } satisfies SocketResponse)
  }
}

function requestId(value: unknown): number | string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  if (typeof value === 'string' && value.length <= 64) return value
  return null
}

/**
 * One dashboard connection: every message is a request `{ id, command, params }`, answered once with the
 * result envelope; anything that is not such a request closes the socket with a policy-violation code.
 * A burst is served in full: past `maxInFlight`, or while the client is slow to read its answers, requests
 * wait their turn and the socket stops reading, so the client is slowed down rather than cut off with its
 * answers lost. (Event batches are another matter: they do not wait; see `sendWithinBacklog`.)
 */
export function serveSocket(socket: WebSocket, spool: Spool, policy: PathPolicy, maxBufferedBytes: number): void {
  let inFlight = 0
  const waiting: SocketRequest[] = []
  let recheck: ReturnType<typeof setTimeout> | undefined
  const answer = (command: unknown, response: SocketResponse) => {
    if (socket.readyState === socket.OPEN) socket.send(encodeAnswer(command, response))
  }
  const backedUp = () => socket.bufferedAmount > maxBufferedBytes
  const pump = () => {
    while (inFlight < maxInFlight && waiting.length > 0 && !backedUp()) {
      const { id, command, params } = waiting.shift()!
      inFlight++
      void handle(command, params, spool, policy).then((response) => {
        inFlight--
        answer(command, { id, ...response } as SocketResponse)
        pump()
      })
    }
    if (inFlight < maxInFlight && !backedUp()) return socket.resume()
    socket.pause()
    // ws tells nothing when its buffer drains: while answers wait unsent, look again shortly.
    if (backedUp() && recheck === undefined && socket.readyState === socket.OPEN) {
      recheck = setTimeout(() => {
        recheck = undefined
        pump()
      }, 20)
    }
  }
  socket.on('close', () => clearTimeout(recheck))
  // ws reports a frame over `maxPayload` (or a broken frame) here and closes with 1009/1002 itself; without a
  // listener the error would take the whole host down.
  socket.on('error', () => {})
  socket.on('message', (data, isBinary) => {
    let request: { id?: unknown; command?: unknown; params?: unknown }
    try {
      if (isBinary) throw new Error('binary frame')
      request = JSON.parse(data.toString()) as typeof request
      if (!request || typeof request !== 'object' || Array.isArray(request)) throw new Error('not an object')
    } catch {
      return socket.close(1008, 'Requests are JSON objects { id, command, params }')
    }
    const id = requestId(request.id)
    if (id === null) return socket.close(1008, 'A request needs an id (a number or a short string)')
    if (waiting.push({ id, command: request.command, params: request.params }) > maxWaiting) {
      waiting.length = 0
      return socket.close(1008, 'Too many requests at once')
    }
    pump()
  })
}

async function handle(command: unknown, params: unknown, spool: Spool, policy: PathPolicy) {
  if (command === 'browse') {
    try {
      const { path } = parseOrThrow(browseParams, params ?? {}, 'browse params')
      return { ok: true as const, value: await browse(policy, path) }
    } catch (error) {
      return { ok: false as const, error: toJobError(error) }
    }
  }
  return dispatchCommand(spool, command, params)
}
