import type { IncomingMessage, ServerResponse } from 'node:http'
import { normalize } from 'node:path'
import { sendFile } from './send-file'

/** Bundled assets carry a content hash in their name: a browser may keep them for a year. */
const assetMaxAgeMs = 365 * 24 * 3600 * 1000

/** Serves the dashboard's page, always fresh; the caller checked the token first. */
export function servePage(root: string, req: IncomingMessage, res: ServerResponse, missing: () => void): void {
  sendFile(req, res, { root, path: '/index.html', missing })
}

/**
 * Serves a file of the built dashboard other than its page, which needs the token however its name is spelled
 * (`/%69ndex.html`, `/assets/..%2Findex.html`, `/INDEX.HTML` on a case-insensitive disk); calls `missing` when
 * there is no such file (never one outside `root`).
 */
export function serveAsset(
  root: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  missing: () => void,
): void {
  let relative: string
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '')
  } catch {
    return missing()
  }
  if (relative.toLowerCase() === 'index.html') return missing()
  const maxAgeMs = relative.startsWith('assets/') ? assetMaxAgeMs : undefined
  sendFile(req, res, { root, path: pathname, maxAgeMs, missing })
}
