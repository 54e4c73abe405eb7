import { rmSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isRunning } from '../process-tree'

const rootName = /^spool-worker-(\d+)$/

/**
 * The folder under which a worker makes its jobs' temp folders. Named after the worker's pid, so that the
 * main process can remove what a worker that died left behind.
 */
export function workerTempRoot(pid: number): string {
  return join(tmpdir(), `spool-worker-${pid}`)
}

/** A worker whose host died removes its own, since no one else will. */
export function removeOwnTempRoot(): void {
  try {
    rmSync(workerTempRoot(process.pid), { recursive: true, force: true })
  } catch {
    // A child killed a moment ago may still have had a file open there (Windows); the next start sweeps it.
  }
}

/**
 * Removes the temp folders of workers that are gone: killed together with their host (a process group
 * killed at once, the system's out-of-memory killer, a power cut), they could not remove their own. A folder
 * whose pid runs, in this Spool or another, is left alone.
 */
export async function removeAbandonedTempRoots(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[])
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(rootName.exec(name)?.[1])
      if (!pid || isRunning(pid)) return
      await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => {})
    }),
  )
}
