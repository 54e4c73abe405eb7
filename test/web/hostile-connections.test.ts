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

const upgradeHeaders =
  'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'

describe('requests that try to take the host down', () => {
  let serve: ServeProcess | undefined
  afterEach(async () => {
    await serve?.stop()
    serve = undefined
  })

  it('a request target the URL parser cannot read is refused with 400, on the socket path and the page alike', async () => {
    serve = await startServe([], { SPOOL_DASHBOARD_DIR: '/nonexistent' })
    const host = `Host: 127.0.0.1:${serve.port}\r\n`
    const upgrade = upgradeHeaders
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

  it('a refused socket whose client hangs up at once (a connection reset) leaves the host running', async () => {
    serve = await startServe([], { SPOOL_DASHBOARD_DIR: '/nonexistent' })
    const { port } = serve
    const refused = [`/ws?token=wrong`, `/nowhere?token=${serve.token}`]
    for (let i = 0; i < 50; i++) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(`GET ${refused[i % 2]} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${upgradeHeaders}\r\n`)
          socket.resetAndDestroy()
          resolve()
        })
        socket.on('error', reject)
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(serve.child.exitCode).toBeNull()
    const client = await openSocket(serve.port, serve.token)
    expect(await client.call('kinds')).toMatchObject({ ok: true })
    client.close()
  }, 30_000)
})
