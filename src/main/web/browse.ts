import { readdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SpoolError } from '../../shared/errors'
import { limits } from '../../shared/limits'
import type { BrowseEntry, BrowseResult } from '../../shared/web-host'
import type { PathPolicy } from '../jobs/path-policy'

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/**
 * Lists a folder for the dashboard's file picker; without a path, the roots the host was started with.
 * Only folders inside a root are listed, and only entries that lead inside one (checked after resolving
 * symlinks); hidden files are left out, and entries past the first `limits.browseEntries` are counted, not listed.
 */
export async function browse(policy: PathPolicy, path: string | undefined): Promise<BrowseResult> {
  if (path === undefined) {
    return { entries: policy.roots.map((root): BrowseEntry => ({ name: root, path: root, type: 'folder' })) }
  }
  const folder = policy.checkWrite(path)
  let names: string[]
  try {
    names = (await readdir(folder)).filter((name) => !name.startsWith('.'))
  } catch {
    throw new SpoolError('NOT_FOUND', `Cannot list ${path}`)
  }
  // In the order a file manager shows them (img2 before img10), the first ones of a huge folder.
  names.sort((a, b) => byName.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0))
  const more = Math.max(0, names.length - limits.browseEntries)
  const entries: BrowseEntry[] = []
  for (const name of names.slice(0, limits.browseEntries)) {
    const full = join(folder, name)
    try {
      const info = await stat(full)
      // A link that leads out of the roots is not shown: what it points to is none of the page's business.
      if (info.isDirectory() && isAllowed(policy, full)) entries.push({ name, path: full, type: 'folder' })
      else if (info.isFile() && isReadable(policy, full))
        entries.push({ name, path: full, type: 'file', size: info.size })
    } catch {
      // A dangling link or a file that vanished meanwhile: not worth showing.
    }
  }
  entries.sort((a, b) => (a.type === b.type ? 0 : a.type === 'folder' ? -1 : 1))
  const result: BrowseResult = { path: folder, entries }
  if (more > 0) result.more = more
  const parent = dirname(folder)
  if (!policy.roots.includes(folder) && parent !== folder && isAllowed(policy, parent)) result.parent = parent
  return result
}

function isAllowed(policy: PathPolicy, folder: string): boolean {
  try {
    policy.checkWrite(folder)
    return true
  } catch {
    return false
  }
}

function isReadable(policy: PathPolicy, file: string): boolean {
  try {
    policy.checkRead(file)
    return true
  } catch {
    return false
  }
}
