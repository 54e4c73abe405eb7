/** Text between U+2066–U+2068 (an isolate's start) and U+2069 (its end): a file name inside a label. */
const isolated = /[\u2066-\u2068][^\u2069]*\u2069/g
const rightToLeft = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u

/**
 * The `dir` for a job's label. The engine isolates the file name in the labels it makes ("⁨דוח.txt⁩ → gzip"), but
 * HTML's `dir="auto"` goes by the first strong letter even inside an isolate, and would turn such a label right to
 * left as a whole ("gzip → txt.דוח"). So the first letter outside the isolates decides, as the Unicode algorithm
 * has it; a label with no isolate (one the user gave) is left to `auto`.
 */
export function labelDirection(label: string): 'ltr' | 'rtl' | 'auto' {
  if (label.search(isolated) === -1) return 'auto'
  const letter = /\p{L}/u.exec(label.replace(isolated, ''))?.[0]
  if (letter === undefined) return 'auto'
  return rightToLeft.test(letter) ? 'rtl' : 'ltr'
}
