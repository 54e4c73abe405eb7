import type { BrowseResult } from '../../shared/web-host'

// A full path: "/…" on Linux and macOS, "C:\…" or "\\server\…" on Windows.
const fullPath = /^(\/|[a-z]:[\\/]|\\\\)/i

const windowsPath = /^([a-z]:|\\\\[^\\/]+[\\/][^\\/]+)(?=[\\/]|$)/i

/**
 * A path as pasted from elsewhere: the quotes around one copied with Windows' "Copy as path", or a `file://` URL
 * (as some file managers copy files), taken off; anything else as it is.
 */
export function pastedPath(text: string): string {
  let path = text.trim()
  const quoted = /^(["'])(.*)\1$/.exec(path)
  if (quoted) path = (quoted[2] as string).trim()
  if (!/^file:\/\//i.test(path) || !URL.canParse(path)) return path
  const url = new URL(path)
  let local: string
  try {
    local = decodeURIComponent(url.pathname)
  } catch {
    return path
  }
  // file:///C:/photos/cat.png is C:/photos/cat.png; file://server/share/cat.png a share on another machine.
  if (/^\/[a-z]:\//i.test(local)) return local.slice(1)
  return url.host && url.host !== 'localhost' ? `\\\\${url.host}${local.replace(/\//g, '\\')}` : local
}

/**
 * A typed full path as the file list shows it: "." and ".." taken out and repeated or trailing separators
 * dropped, as `path.normalize` does, so that one file typed two ways is one file, not two jobs. Windows paths
 * ("C:\…", "\\server\share\…") take either separator and are written with "\". Anything else (a relative path,
 * one starting "//") is left as typed.
 */
export function normalTypedPath(path: string): string {
  const windows = windowsPath.exec(path)
  // "//server/share" is a network share on Windows, "/server/share" on Linux: which, only the system can say.
  if (!windows && (!path.startsWith('/') || /^\/\/[^/]/.test(path))) return path
  const prefix = windows ? (windows[1] as string).replace(/\//g, '\\') : ''
  const rest = windows ? path.slice(prefix.length) : path
  const parts: string[] = []
  for (const part of rest.split(windows ? /[\\/]+/ : /\/+/)) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  const separator = windows ? '\\' : '/'
  return `${prefix}${separator}${parts.join(separator)}`
}

/**
 * Why a typed path cannot be a job's file, said as the user types it rather than after Submit; null if it may.
 * With the web host's browser (`browse`), a file outside the folders the host was started with, in a folder that
 * does not exist or missing from its folder is refused at once. Without it (the desktop app), the engine judges.
 */
export async function typedPathProblem(
  path: string,
  browse?: (folder: string) => Promise<BrowseResult>,
): Promise<string | null> {
  if (!fullPath.test(path)) return `Type the full path of the file, such as /home/me/${path}`
  if (!browse) return null
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  const folder = path.slice(0, cut) || path.slice(0, cut + 1)
  const name = path.slice(cut + 1)
  let listing: BrowseResult
  try {
    listing = await browse(folder)
  } catch (error) {
    const code = (error as { code?: string } | null)?.code
    if (code === 'FORBIDDEN_PATH') return `Spool may only use files in the folders it was started with, not ${path}`
    if (code === 'NOT_FOUND') return `There is no folder ${folder}`
    return null
  }
  const entry = listing.entries.find((candidate) => candidate.name === name)
  if (entry?.type === 'folder') return `${path} is a folder: pick the files in it with “Add files…”`
  // Hidden files are not listed, nor entries past the cap: the engine judges those.
  if (!entry && name && !name.startsWith('.') && !listing.more) return `There is no file ${path}`
  return null
}
