import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { pipeline } from 'node:stream'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

/** Serves the dashboard's page; the caller checked the token first. */
export function servePage(root: string, res: ServerResponse): boolean {
  return serveFile(root, 'index.html', res)
}

/**
 * Serves a file of the built dashboard other than its page, which needs the token however its name is spelled
 * (`/%69ndex.html`, `/assets/..%2Findex.html`, `/INDEX.HTML` on a case-insensitive disk); answers false when
 * there is no such file (never outside `root`).
 */
export function serveAsset(root: string, pathname: string, res: ServerResponse): boolean {
  let relative: string
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '')
  } catch {
    return false
  }
  if (relative.toLowerCase() === 'index.html') return false
  return serveFile(root, relative, res)
}

function serveFile(root: string, relative: string, res: ServerResponse): boolean {
  const file = join(root, relative)
  if (relative.startsWith('..') || !(file === root || file.startsWith(root + sep))) return false
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) return false
    size = stat.size
  } catch {
    return false
  }
  res.writeHead(200, {
    'Content-Type': types[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    // Bundled assets carry a content hash in their name; the page itself must always be fresh.
    'Cache-Control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
  })
  // pipeline, unlike pipe(), releases the file when the client goes away and does not throw a read error.
  pipeline(createReadStream(file), res, () => {})
  return true
}
