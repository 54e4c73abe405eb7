import { statfsSync } from 'node:fs'
import { SpoolError } from '../../../shared/errors'

const mib = 2 ** 20

/** Refuses to start when the folder's disk has less room than the outputs are expected to take (one direct call). */
export async function ensureFreeSpace(folder: string, neededBytes: number): Promise<void> {
  let free: number
  try {
    const stats = statfsSync(folder)
    free = stats.bavail * stats.bsize
  } catch {
    // Some file systems (network shares) cannot answer; writing will still report ENOSPC.
    return
  }
  if (free < neededBytes) {
    throw new SpoolError(
      'DISK_FULL',
      `Not enough free space in ${folder}: about ${Math.ceil(neededBytes / mib)} MiB needed, ${Math.floor(free / mib)} MiB free`,
    )
  }
}
