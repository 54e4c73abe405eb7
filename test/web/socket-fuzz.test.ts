import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { commandNames } from '../../src/shared/commands'
import { jobErrorCodes } from '../../src/shared/errors'
import { startWebHost } from '../../src/main/web/web-host'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'

const messages = 10_000

/** A text frame whose bytes are not UTF-8 (0xFF never appears in UTF-8). */
class InvalidText {
  constructor(readonly bytes: Buffer) {}
}

/** Anything a hostile page or script could put in a frame. */
const frame = fc.oneof(
  fc
    .record({
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 80 }), fc.constant(null), fc.object()),
      command: fc.oneof(
        fc.constantFrom(...commandNames, 'browse', '__proto__', 'constructor', 'toString', 'subscribe', 'close'),
        fc.string({ maxLength: 30 }),
        fc.constant({ toString: 1 }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      params: fc.oneof(
        fc.jsonValue({ maxDepth: 6 }),
        fc.constant({ __proto__: { polluted: true } }),
        fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')),
        fc.array(fc.record({ kind: fc.string(), input: fc.jsonValue({ maxDepth: 4 }) }), { maxLength: 20 }),
        fc.double(),
      ),
    })
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 8 }).map((value) => JSON.stringify(value)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 100 }).map((bytes) => new InvalidText(Buffer.from([...bytes, 0xff]))),
)

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url)
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Sends one frame and waits for its answer, or for the socket to close on it. */
function exchange(
  socket: WebSocket,
  data: string | Buffer | InvalidText,
): Promise<{ answer?: unknown; closed?: number }> {
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString())
      if (message.type === 'events') return
      cleanup()
      resolve({ answer: message })
    }
    const onClose = (code: number) => {
      cleanup()
      resolve({ closed: code })
    }
    const cleanup = () => {
      socket.off('message', onMessage)
      socket.off('close', onClose)
    }
    socket.on('message', onMessage)
    socket.on('close', onClose)
    if (data instanceof InvalidText) socket.send(data.bytes, { binary: false })
    else socket.send(data)
  })
}

describe('the web socket under fuzzing', () => {
  const openSpool = useSpool()
  const tempDir = useTempDir()

  it(`answers ${messages} hostile frames with typed errors or a closed socket, and stays well`, async () => {
    const { spool } = await openSpool({ roots: [tempDir()] })
    await spool.pause()
    const host = await startWebHost({ spool, roots: [tempDir()], dashboardDir: tempDir() })
    const url = `ws://127.0.0.1:${host.port}/ws?token=${host.token}`
    let socket = await open(url)
    const codes = new Set<string>()
    const closes = new Map<number, number>()
    try {
      for (const data of fc.sample(frame, { numRuns: messages, seed: 20261125 })) {
        const { answer, closed } = await exchange(socket, data)
        if (closed !== undefined) {
          // 1008: a frame the host refuses; 1007: a text frame that is not UTF-8.
          expect(data instanceof InvalidText ? 1007 : 1008).toBe(closed)
          closes.set(closed, (closes.get(closed) ?? 0) + 1)
          socket = await open(url)
          continue
        }
        const reply = answer as { ok: boolean; error?: { code: string; message: string } }
        if (!reply.ok) {
          expect(jobErrorCodes).toContain(reply.error?.code)
          expect(reply.error?.code).not.toBe('INTERNAL')
          expect(reply.error?.message).not.toMatch(/\n\s+at /)
          codes.add(reply.error!.code)
        }
      }
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('polluted')
      const alive = await exchange(socket, JSON.stringify({ id: 'last', command: 'kinds' }))
      expect(alive.answer).toMatchObject({ id: 'last', ok: true })
      expect(closes.get(1008)).toBeGreaterThan(0)
      expect(closes.get(1007)).toBeGreaterThan(0)
      expect((await spool.snapshot()).counts).toMatchObject({ queued: 0, running: 0 })
      expect(codes.has('INVALID_INPUT')).toBe(true)
    } finally {
      socket.close()
      await host.close()
    }
  }, 120_000)
})
