import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { isAlive } from '../process-tree'

/** `.<name>.<pid>-<random>.spool-part`: the writer's pid tells whether anyone may still finish it. */
const partName = /\.(\d+)-[0-9a-f]{8}\.spool-part$/
/** A part still being written on another machine (a shared folder) has a recent mtime. */
const quietMs = 60_000

const swept = new Set<string>()

export function partFileName(fileName: string, random: string): string {
  // Room for the suffix within the 255-byte limit of most file systems; cut by characters, not bytes.
  let stem = ''
  for (const char of fileName) {
    if (Buffer.byteLength(stem + char) > 180) break
    stem += char
  }
  return `.${stem}.${process.pid}-${random}.spool-part`
}

/**
 * A worker killed mid-write (a crash, a cancel that outlived its grace period) cannot remove its temp file.
 * The first job of this process to write into a folder removes such leftovers.
 */
export async function sweepAbandonedParts(folder: string): Promise<void> {
  if (swept.has(folder)) return
  swept.add(folder)
  const names = await readdir(folder).catch(() => [] as string[])
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(partName.exec(name)?.[1])
      if (!pid || pid === process.pid || isAlive(pid)) return
      const path = join(folder, name)
      const info = await stat(path).catch(() => undefined)
      if (info?.isFile() && Date.now() - info.mtimeMs > quietMs) await unlink(path).catch(() => {})
    }),
  )
}
