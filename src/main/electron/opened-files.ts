import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

/** What a second launch hands the running instance through the single-instance lock. */
export interface HandOver {
  files: string[]
}

const handOver = z.object({ files: z.array(z.string().min(1).max(4096)).max(10_000) })

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * The files named on a command line ("Open with Spool", a drop on the launcher), resolved against the
 * launch folder. Switches and anything that is not an existing file (the app path in development,
 * Chromium's own arguments) are left out.
 */
export function filesFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => resolve(cwd, arg))
    .filter(isFile)
}

/** The files of a second instance's hand-over, or none when the data is not ours. */
export function filesFromHandOver(data: unknown): string[] {
  const parsed = handOver.safeParse(data)
  return parsed.success ? parsed.data.files.filter(isFile) : []
}
