import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { openSocket } from './socket-client'
import { startServe, type ServeProcess } from './serve-process'

/** Sends raw bytes to the host and answers the status line it replies with ('' when it just hangs up). */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text))
    let reply = ''
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')))
    socket.on('close', () => resolve(reply.split('\r\n')[0] ?? ''))
    socket.on('error', reject)
  })
}

describe('request targets a URL parser cannot read', () => {
  let serve: ServeProcess | undefined
  afterEach(async () => {
    await serve?.stop()
    serve = undefined
  })

  it('are refused with 400, on the socket path and the page alike, and the host keeps serving', async () => {
    serve = await startServe([], { SPOOL_DASHBOARD_DIR: '/nonexistent' })
    const host = `Host: 127.0.0.1:${serve.port}\r\n`
    const upgrade =
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
    for (const target of ['http://[/ws', 'http://a:b@[::1/ws', 'http://%zz/?token=x']) {
      expect(await rawRequest(serve.port, `GET ${target} HTTP/1.1\r\n${host}${upgrade}\r\n`)).toMatch(/^HTTP\/1\.1 400/)
      expect(await rawRequest(serve.port, `GET ${target} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)).toMatch(
        /^HTTP\/1\.1 400/,
      )
    }
    expect(serve.child.exitCode).toBeNull()
    const client = await openSocket(serve.port, serve.token)
    expect(await client.call('kinds')).toMatchObject({ ok: true })
    client.close()
  }, 30_000)
})
