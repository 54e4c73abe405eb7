import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh secret for one start of the host: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Compares in constant time; hashing first makes the lengths equal without leaking the real length. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false
  const a = createHash('sha256').update(expected).digest()
  const b = createHash('sha256').update(given).digest()
  return timingSafeEqual(a, b)
}

/** The token of a request, from its query string. */
export function tokenOf(url: URL): string | null {
  return url.searchParams.get('token')
}
