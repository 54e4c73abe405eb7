/**
 * Checks of plain data, as the schemas' strict objects read it: what the fast readings of worker messages and of
 * submitted specs take directly before leaving anything else to the schema.
 */

/** An object with exactly these own keys (in any order), as `z.strictObject` requires. */
export function hasExactly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  let count = 0
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !keys.includes(key)) return false
    count++
  }
  return count === keys.length
}

/** An object with no own keys but these, as a `z.strictObject` of optional fields requires. */
export function hasOnly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key in value) if (!Object.hasOwn(value, key) || !keys.includes(key)) return false
  return true
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A plain object as JSON makes them; anything else is left to the schema. */
export function isPlain(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
