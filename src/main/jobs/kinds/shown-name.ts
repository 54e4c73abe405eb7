import { basename } from 'node:path'

/**
 * A file's name as a job's label or progress message shows it: isolated (U+2068 … U+2069), so a Hebrew or Arabic
 * name reads in its own direction without pulling the rest ("→ WebP") into it, and the label, whose first letter
 * outside the name is then English, reads left to right.
 */
export function shownName(path: string): string {
  return `\u2068${basename(path)}\u2069`
}
