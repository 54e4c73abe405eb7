import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type SmallDisk =
  | { dir: string; unmount(): void; skipReason?: undefined }
  | { dir?: undefined; unmount?: undefined; skipReason: string }

/**
 * A real file system of `sizeMb` (a tmpfs), so a test can fill it and see the ENOSPC a user's full disk
 * gives. Mounting needs Linux and root (or CAP_SYS_ADMIN); where that is missing, answers why instead.
 */
export function mountSmallDisk(sizeMb: number): SmallDisk {
  if (process.platform !== 'linux') return { skipReason: `tmpfs needs Linux, this is ${process.platform}` }
  const dir = mkdtempSync(join(tmpdir(), 'spool-small-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error).trim()
    return { skipReason: `could not mount a ${sizeMb} MiB tmpfs (${stderr || 'mount failed'}); needs root` }
  }
  return {
    dir,
    unmount() {
      // Lazy, so a file a failed test left open cannot keep the mount (and the memory) alive.
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function freeBytes(dir: string): number {
  const stats = statfsSync(dir)
  return stats.bavail * stats.bsize
}

/** Fills the disk holding `dir` until `leaveBytes` are free; answers the filler's path, to delete later. */
export function fillDisk(dir: string, leaveBytes = 0): string {
  const filler = join(dir, 'filler.bin')
  writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(dir) - leaveBytes)))
  return filler
}
