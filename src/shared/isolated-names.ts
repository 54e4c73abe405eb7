/**
 * Labels the engine makes wrap a file name in U+2068 … U+2069 so that it keeps its own direction. The marks are
 * invisible: a search for a label as it is shown ("photo.jpg → WebP") reads past them.
 */
export function withoutIsolationMarks(text: string): string {
  return text.replace(/[\u2068\u2069]/g, '')
}
