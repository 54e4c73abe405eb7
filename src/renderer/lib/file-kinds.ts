import type { KindInfo } from '../../shared/job'
import { fileFieldOf, formFields } from './schema-form'

/** The file's extension, lower case, without the dot; '' when its name has none. */
function extensionOf(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

/** Whether a kind takes this file by its name: any file when the kind names no extensions. */
export function takesFile(accepts: readonly string[], path: string): boolean {
  return accepts.length === 0 || accepts.includes(extensionOf(path))
}

/** What the form says beside a file the kind does not take by its name, or '' when it does. */
export function fileMismatch(kind: Pick<KindInfo, 'title' | 'accepts'>, path: string): string {
  if (takesFile(kind.accepts, path)) return ''
  const named = kind.accepts.slice(0, 3).map((extension) => `.${extension}`)
  const more = kind.accepts.length - named.length
  return `${kind.title} takes ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}: this file may fail`
}

/**
 * The kind to offer for files handed to Spool (dropped, opened with it): the one that takes the most of them by
 * their names, else the first that takes any file; in the order the kinds are listed when it is a tie.
 */
export function kindForFiles(kinds: readonly KindInfo[], files: readonly string[]): KindInfo | undefined {
  const takingFiles = kinds.filter((kind) => fileFieldOf(formFields(kind)) !== undefined)
  let best: KindInfo | undefined
  let bestCount = 0
  for (const kind of takingFiles) {
    if (kind.accepts.length === 0) continue
    const count = files.filter((file) => takesFile(kind.accepts, file)).length
    if (count > bestCount) [best, bestCount] = [kind, count]
  }
  return best ?? takingFiles.find((kind) => kind.accepts.length === 0)
}
