/** A piece of a name or path as the page lays it out. */
export interface ShownPart {
  text: string
  /** The line break in the name that follows this part, if one does: a browser would show it as a space. */
  newline?: string
  /** A path separator ends this part: the line may break after it rather than inside a folder's name. */
  breakAfter: boolean
}

/** `text` cut after each line break and, for a path, after each `/` or `\`; the parts' text and newlines give it back. */
export function shownParts(text: string, path = false): ShownPart[] {
  const parts: ShownPart[] = []
  const pattern = path ? /\r\n|\n|\r|[/\\]/g : /\r\n|\n|\r/g
  let start = 0
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length
    if (match[0] === '/' || match[0] === '\\') parts.push({ text: text.slice(start, end), breakAfter: true })
    else parts.push({ text: text.slice(start, match.index), newline: match[0], breakAfter: false })
    start = end
  }
  if (start < text.length || parts.length === 0) parts.push({ text: text.slice(start), breakAfter: false })
  return parts
}
