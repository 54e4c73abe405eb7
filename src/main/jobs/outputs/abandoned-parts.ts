import { createHash } from 'node:crypto'
import { readdir, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { isRunning } from '../process-tree'

/**
 * `.<name>.<machine>-<pid>-<random>.spool-part`: on the machine that wrote it, the writer's pid tells whether
 * anyone may still finish it. Parts named before the machine was part of the name have no `<machine>-`.
 */
const partName = /\.(?:([0-9a-f]{8})-)?(\d+)-[0-9a-f]{8}\.spool-part$/
/** This machine, as part names say it: a pid means something only where it was taken. */
const thisMachine = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)
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
  return `.${stem}.${thisMachine}-${process.pid}-${random}.spool-part`
}

/**
 * A worker killed mid-write (a crash, a cancel that outlived its grace period) cannot remove its temp file.
 * The first job of this process to write into a folder removes such leftovers: at once when this machine's
 * writer is gone (a conversion killed with the app and run again at its next start, seconds later, removes its
 * own), else once the part has been quiet a while (another machine may be writing it into a shared folder).
 */
export async function sweepAbandonedParts(folder: string): Promise<void> {
  if (swept.has(folder)) return
  swept.add(folder)
  const names = await readdir(folder).catch(() => [] as string[])
  await Promise.all(
    names.map(async (name) => {
      const match = partName.exec(name)
      const pid = Number(match?.[2])
      // A zombie writes no more: killed, it waits for the process that adopted it (in a container, maybe for ever).
      if (!pid || pid === process.pid || isRunning(pid)) return
      const path = join(folder, name)
      const info = await stat(path).catch(() => undefined)
      const abandoned = match?.[1] === thisMachine || Date.now() - (info?.mtimeMs ?? 0) > quietMs
      if (info?.isFile() && abandoned) await unlink(path).catch(() => {})
    }),
  )
}
