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

/** Names Windows keeps for devices, with any extension: a file cannot be called `NUL` or `com1.txt` there. */
const reservedOnWindows = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i

/** Fills a template; a trailing dot (an empty `{ext}`) is dropped. Refuses a result that is not one file name. */
export function renderName(template: string, parts: NameParts, platform = process.platform): string {
  const name = fillTemplate(template, parts)
  const problem = nameProblem(name, platform === 'win32')
  if (problem) throw new SpoolError('INVALID_INPUT', `The name template gives ${problem}: ${JSON.stringify(name)}`)
  return name
}

/**
 * What is wrong with the names a template gives whatever the input, on any system (outputs may be copied or
 * synced to Windows), or undefined. Checked at submit, with stand-ins for the input's name, extension and preset.
 */
export function templateProblem(template: string): string | undefined {
  for (const ext of ['ext', '']) {
    const name = fillTemplate(template, { name: 'name', ext, preset: 'preset' })
    const problem = nameProblem(name, true)
    if (problem) return `gives ${problem}: ${JSON.stringify(name)}`
  }
  return undefined
}

function fillTemplate(template: string, parts: NameParts): string {
  return template.replace(/\{(name|ext|preset)\}/g, (_, key: keyof NameParts) => parts[key]).replace(/\.+$/, '')
}

/**
 * Why `name` cannot be an output's file name, or undefined. A name made of spaces, or ending in a space or a
 * dot (Windows drops them, so the file is not the one named), and device names are refused where `portable`.
 */
function nameProblem(name: string, portable: boolean): string | undefined {
  if (!name || name === '.' || name === '..' || /[/\0]/.test(name) || Buffer.byteLength(name) > 255) {
    return 'an unusable file name'
  }
  if (!name.trim()) return 'a name made only of spaces'
  if (!portable) return undefined
  if (/[ .]$/.test(name)) return 'a name ending in a space or a dot, which Windows cannot keep'
  if (reservedOnWindows.test(name.replace(/ +(?=\.|$)/, ''))) return 'a name Windows reserves for a device'
  return undefined
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
