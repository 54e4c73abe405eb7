import { basename, dirname, extname } from 'node:path'
import { SpoolError } from '../../../shared/errors'

export interface NameParts {
  name: string
  ext: string
  preset: string
}

/** The input's file name split into the `{name}` a template starts from and its extension (no dot). */
export function splitName(path: string): { name: string; ext: string } {
  const base = basename(path)
  const ext = extname(base)
  return { name: ext ? base.slice(0, -ext.length) : base, ext: ext.slice(1) }
}

/** Fills a template; a trailing dot (an empty `{ext}`) is dropped. Refuses a result that is not one file name. */
export function renderName(template: string, parts: NameParts): string {
  const name = template.replace(/\{(name|ext|preset)\}/g, (_, key: keyof NameParts) => parts[key]).replace(/\.+$/, '')
  if (!name || name === '.' || name === '..' || /[/\0]/.test(name) || Buffer.byteLength(name) > 255) {
    throw new SpoolError('INVALID_INPUT', `The name template gives an unusable file name: ${JSON.stringify(name)}`)
  }
  return name
}

/** "photo.jpg" → "photo (2).jpg": the numbering a file manager uses for a copy. */
export function numberedName(fileName: string, n: number): string {
  const ext = extname(fileName)
  const stem = ext && ext !== fileName ? fileName.slice(0, -ext.length) : fileName
  return `${stem} (${n})${stem === fileName ? '' : ext}`
}

/** The folder an output goes to: the one asked for, else beside the input. */
export function outputFolder(input: string, outputDir: string | undefined): string {
  return outputDir ?? dirname(input)
}
