import { execFileSync } from 'node:child_process'
import { chmodSync } from 'node:fs'

/**
 * Makes a folder (or a file) unwritable and answers how to undo it. As root, permission bits stop nothing, so the
 * folder is made immutable instead; answers undefined when even that is not possible.
 */
export function readOnlyFolder(path: string): (() => void) | undefined {
  if (process.getuid?.() !== 0) {
    chmodSync(path, 0o555)
    return () => chmodSync(path, 0o755)
  }
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' })
    return () => execFileSync('chattr', ['-i', path], { stdio: 'ignore' })
  } catch {
    return undefined
  }
}
