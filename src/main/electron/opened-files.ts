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
 * The files among command-line arguments ("Open with Spool", a drop on the launcher), resolved against the
 * launch folder. Switches and anything that is not an existing file (Chromium's own arguments) are left out.
 */
export function filesFromArgs(args: readonly string[], cwd: string): string[] {
  return args
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => resolve(cwd, arg))
    .filter(isFile)
}

/** The files of a second instance's hand-over, or none when the data is not ours. */
export function filesFromHandOver(data: unknown): string[] {
  const parsed = handOver.safeParse(data)
  return parsed.success ? parsed.data.files.filter(isFile) : []
}

/**
 * Files handed to Spool (its own command line, a second launch, macOS "Open with") arrive before the queue is
 * open as well as after; they wait here until a receiver is attached, then go straight to it.
 */
export class HandOverInbox {
  readonly #pending: string[] = []
  #receiver: ((files: string[]) => void) | undefined

  add(files: readonly string[]): void {
    if (this.#receiver) this.#receiver([...files])
    else this.#pending.push(...files)
  }

  /** From now on hands arrivals to `receiver`; answers what arrived before. */
  receiveWith(receiver: (files: string[]) => void): string[] {
    this.#receiver = receiver
    return this.#pending.splice(0)
  }
}
