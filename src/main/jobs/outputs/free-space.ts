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

/** Room an unbounded output (an archive whose size is not known in advance) may take: all but the last 5 %, at most 1 GiB. */
const reserveShare = 0.05
const maxReserve = 2 ** 30

/**
 * How many bytes an output whose size is only estimated may grow to before it would leave the disk all but
 * full (other programs need room too): never less than the estimate the free-space check accepted.
 */
export function spaceToFill(folder: string, estimate: number): number {
  try {
    const stats = statfsSync(folder)
    const reserve = Math.min(maxReserve, stats.blocks * stats.bsize * reserveShare)
    return Math.max(estimate, stats.bavail * stats.bsize - reserve)
  } catch {
    return Number.POSITIVE_INFINITY
  }
}
