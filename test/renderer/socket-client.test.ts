import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectSocket } from '../../src/renderer/api/socket-client'

/** A stand-in for the browser's WebSocket: the test opens and drops it and reads what was sent. */
class FakeSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 3
  static all: FakeSocket[] = []
  readyState = FakeSocket.CONNECTING
  sent: string[] = []
  onopen: (() => void) | null = null
  onclose: (() => void) | null = null
  onmessage: ((message: { data: string }) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(text: string): void {
    this.sent.push(text)
  }
  up(): void {
    this.readyState = FakeSocket.OPEN
    this.onopen?.()
  }
  down(): void {
    this.readyState = FakeSocket.CLOSED
    this.onclose?.()
  }
}

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  FakeSocket.all = []
})

describe('the dashboard socket', () => {
  it('never sends, once connected again, a command it already reported as failed', async () => {
    vi.useFakeTimers()
    vi.stubGlobal('WebSocket', FakeSocket)
    const client = connectSocket('ws://host/ws?token=t')
    FakeSocket.all[0]!.up()
    FakeSocket.all[0]!.down()
    // While the socket is down, the user cancels a job; the attempt to reconnect fails, and they are told so.
    const cancel = client.cancel({ ids: ['7'] })
    const refused = expect(cancel).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    await vi.advanceTimersByTimeAsync(250)
    FakeSocket.all[1]!.down()
    await refused
    await vi.advanceTimersByTimeAsync(500)
    FakeSocket.all[2]!.up()
    expect(FakeSocket.all[2]!.sent).toEqual([])
  })

  it('sends a command made while it reconnects once the socket is up, and answers it', async () => {
    vi.useFakeTimers()
    vi.stubGlobal('WebSocket', FakeSocket)
    const client = connectSocket('ws://host/ws?token=t')
    FakeSocket.all[0]!.up()
    FakeSocket.all[0]!.down()
    const paused = client.pause()
    await vi.advanceTimersByTimeAsync(250)
    const socket = FakeSocket.all[1]!
    socket.up()
    expect(socket.sent.map((text) => JSON.parse(text).command)).toEqual(['pause'])
    const { id } = JSON.parse(socket.sent[0]!)
    socket.onmessage?.({ data: JSON.stringify({ id, ok: true, value: { paused: true } }) })
    await expect(paused).resolves.toEqual({ paused: true })
  })
})
