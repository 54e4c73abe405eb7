import type { Protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, normalize, relative } from 'node:path'
import type { AppOrigin } from '../ipc/sender-guard'
import { contentSecurityPolicy } from './content-security-policy'

/** Spool's pages are served as `app://spool/...`, never `file://`, so they get an origin of their own. */
export const appOrigin: AppOrigin = { scheme: 'app', host: 'spool' }
export const appUrl = `${appOrigin.scheme}://${appOrigin.host}/index.html`

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

/** Must run before `app.ready`: a standard, secure scheme gets a real origin, `'self'` in the CSP, and fetch. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appOrigin.scheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/**
 * The file under `root` that an `app://spool/...` URL names, or null for another host, a malformed escape,
 * or anything that would leave `root` (`..`, encoded or not, and absolute or drive paths).
 */
export function resolveAppFile(root: string, url: string): string | null {
  let parsed: URL
  let pathname: string
  try {
    parsed = new URL(url)
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (parsed.protocol !== `${appOrigin.scheme}:` || parsed.host !== appOrigin.host) return null
  if (pathname.includes('\0')) return null
  const inside = normalize(pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, ''))
  const file = join(root, inside)
  const rel = relative(root, file)
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return null
  return file
}

/** Answers one `app://` request from the built renderer, with the CSP on every response. */
export async function serveAppRequest(root: string, url: string): Promise<Response> {
  const headers = { 'Content-Security-Policy': contentSecurityPolicy(), 'X-Content-Type-Options': 'nosniff' }
  const file = resolveAppFile(root, url)
  if (!file) return new Response('Not found', { status: 404, headers })
  try {
    const body = await readFile(file)
    const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream'
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': type } })
  } catch {
    return new Response('Not found', { status: 404, headers })
  }
}

export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(appOrigin.scheme, (request) => serveAppRequest(root, request.url))
}
