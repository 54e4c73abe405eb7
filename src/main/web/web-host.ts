import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import type { SocketPush } from '../../shared/web-host'
import { PathPolicy } from '../jobs/path-policy'
import type { Spool } from '../jobs/types'
import { newToken, tokenMatches, tokenOf } from './access-token'
import { serveDownload } from './downloads'
import { allowedOrigin, setSecurityHeaders } from './security-headers'
import { defaultMaxBufferedBytes, sendWithinBacklog } from './socket-backlog'
import { serveSocket } from './socket-session'
import { serveAsset, servePage } from './static-files'

export const defaultDashboardDir = fileURLToPath(new URL('../../../dist/renderer', import.meta.url))

export interface WebHostOptions {
  spool: Spool
  /** Folders the dashboard may browse and download from (the same the engine was opened with). */
  roots: readonly string[]
  /** 0 picks a free port. */
  port?: number
  token?: string
  dashboardDir?: string
  /** Largest socket message accepted (a submit of many jobs is the largest). */
  maxPayloadBytes?: number
  /** Unsent bytes a socket may pile up before the host closes it as too far behind. */
  maxBufferedBytes?: number
}

export interface WebHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const notBuilt = 'The dashboard is not built yet: run `npm run build:renderer`.'
const needsToken = 'Open Spool with the address it printed when it started: that address carries its access key.'

/**
 * Serves the dashboard and the command socket on 127.0.0.1 only. The page, the socket and downloads need
 * the token printed at start; the socket also needs an Origin of this host, and every request a Host header
 * naming it, so no other web page (or a rebound DNS name) can drive Spool.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken()
  const dashboardDir = options.dashboardDir ?? defaultDashboardDir
  const policy = new PathPolicy(options.roots)
  const maxBufferedBytes = options.maxBufferedBytes ?? defaultMaxBufferedBytes
  let port = options.port ?? 0
  const validHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`
  // The request line is the client's: `GET http://[ HTTP/1.1` passes the HTTP parser, then `new URL` throws.
  const urlOf = (req: IncomingMessage): URL | null => {
    const base = `http://127.0.0.1:${port}`
    return URL.canParse(req.url ?? '/', base) ? new URL(req.url ?? '/', base) : null
  }

  const server = createServer((req, res) => {
    setSecurityHeaders(res, port)
    void route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('Internal error')
    })
  })

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = (status: number, body: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(body)
    }
    if (!validHost(req.headers.host)) return text(421, 'Unknown host')
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Method not allowed')
    const url = urlOf(req)
    if (!url) return text(400, 'Bad request')
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!tokenMatches(token, tokenOf(url))) return text(401, needsToken)
      return servePage(dashboardDir, req, res, () => text(503, notBuilt))
    }
    if (url.pathname === '/download') {
      if (!tokenMatches(token, tokenOf(url))) return text(401, needsToken)
      return serveDownload(options.spool, policy, url, req, res)
    }
    // The bundle itself holds no user data; everything with data goes through the token.
    const notFound = () => text(404, 'Not found')
    if (url.pathname === '/ws') return notFound()
    serveAsset(dashboardDir, url.pathname, req, res, notFound)
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 16 * 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    // Node hands an upgraded socket over without its error listener: a client that resets while being
    // refused would otherwise raise ECONNRESET with no one listening, which ends the process.
    socket.on('error', () => socket.destroy())
    const url = urlOf(req)
    const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`)
    if (!url) return refuse('400 Bad Request')
    if (url.pathname !== '/ws' || !validHost(req.headers.host)) return refuse('404 Not Found')
    if (!tokenMatches(token, tokenOf(url))) return refuse('401 Unauthorized')
    if (!allowedOrigin(req.headers.origin, port)) return refuse('403 Forbidden')
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.spool, policy, maxBufferedBytes))
  })

  const unsubscribe = options.spool.subscribe((batch) => {
    const message = JSON.stringify({ type: 'events', ...batch } satisfies SocketPush)
    for (const client of sockets.clients) sendWithinBacklog(client, message, maxBufferedBytes)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      unsubscribe()
      reject(error)
    })
    server.listen(port, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe()
      for (const client of sockets.clients) client.close(1001, 'Spool is shutting down')
      sockets.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
