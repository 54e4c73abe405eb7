import { createHash } from 'node:crypto'
import { lstat, opendir, readdir, realpath, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { isRunning } from '../process-tree'

/**
 * `.<name>.<machine>-<pid>-<random>.spool-part`: on the machine that wrote it, the writer's pid tells whether
 * anyone may still finish it. Parts named before the machine was part of the name have no `<machine>-`.
 */
const partName = /^\..+\.(?:([0-9a-f]{8})-)?(\d+)-[0-9a-f]{8}\.spool-part$/
/** This machine, as part names say it: a pid means something only where it was taken. */
const thisMachine = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)
/** A part still being written on another machine (a shared folder) has a recent mtime. */
const quietMs = 60_000
/** Names a folder sweep reads from the system at a time: a folder of 100,000 files is read in small turns. */
const namesAtOnce = 64

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
 * Removes `name` from `folder` if it is a part Spool wrote (by its name; a plain file, never a link, as Spool
 * creates parts) whose writer can no longer finish it: at once when this machine's writer is gone, else once
 * the part has been quiet a while (another machine may be writing it into a shared folder). Answers whether
 * it was removed.
 */
export async function removeIfAbandoned(folder: string, name: string): Promise<boolean> {
  const match = partName.exec(name)
  const pid = Number(match?.[2])
  // A zombie writes no more: killed, it waits for the process that adopted it (in a container, maybe for ever).
  if (!pid || pid === process.pid || isRunning(pid)) return false
  const path = join(folder, name)
  const info = await lstat(path).catch(() => undefined)
  if (!info?.isFile()) return false
  if (match?.[1] !== thisMachine && Date.now() - info.mtimeMs <= quietMs) return false
  return unlink(path).then(
    () => true,
    () => false,
  )
}

/**
 * A worker killed mid-write (a crash, a cancel that outlived its grace period) cannot remove its temp file; the
 * host sweeps its job's folders once it is gone (see `StoppedJobParts`), but not when the host died with it.
 * The first job of this process to write into a folder removes such leftovers (a conversion killed with the
 * app and run again at its next start, seconds later, removes its own).
 */
export async function sweepAbandonedParts(folder: string): Promise<void> {
  if (swept.has(folder)) return
  swept.add(folder)
  const names = await readdir(folder).catch(() => [] as string[])
  await Promise.all(names.map((name) => removeIfAbandoned(folder, name)))
}

/**
 * The same sweep for the main process, which must stay responsive: the folder is read a few names at a time
 * and its parts removed one by one, until `signal` fires. `folder` is resolved: one that became a link since
 * is left alone. Answers how many parts were removed.
 */
export async function sweepFolderInTurns(folder: string, signal: AbortSignal): Promise<number> {
  if ((await realpath(folder).catch(() => null)) !== folder) return 0
  let removed = 0
  const dir = await opendir(folder, { bufferSize: namesAtOnce }).catch(() => null)
  if (!dir) return 0
  try {
    for await (const entry of dir) {
      if (signal.aborted) break
      if (entry.isFile() && (await removeIfAbandoned(folder, entry.name))) removed++
    }
  } catch {
    // The folder went away or became unreadable while it was read: nothing more to remove there.
  }
  return removed
}
