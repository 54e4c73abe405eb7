import { jobIdMaxChars, stderrMarkStart } from './protocol'

const markStart = Buffer.from(stderrMarkStart, 'latin1')
/** The longest a mark can be: its start, a job id and its end. */
const markMaxBytes = markStart.length + jobIdMaxChars + 1

/** From `at` (a `written`) on, the bytes are `owner`'s ('' no job's). */
interface Owned {
  at: number
  owner: string
}

/**
 * The end of what a worker wrote to stderr, kept as bytes and decoded only when read: a worker that floods
 * stderr (hundreds of megabytes, or binary garbage, slow to decode as text) costs the main process a copy of
 * at most `limit` bytes per chunk, and its memory stays bounded.
 *
 * The worker marks whose writes follow (see `StderrOwners`); the marks are taken out here, and remembered as
 * where each job's part begins and ends.
 */
export class StderrTail {
  readonly #limit: number
  #bytes = Buffer.alloc(0)
  /** Whose the bytes are, oldest first; the first covers the tail's start. */
  #owners: Owned[] = [{ at: 0, owner: '' }]
  /** The start of a mark the chunk's end cut through: it is read with the next chunk. */
  #cut: Buffer | null = null
  /** Bytes written so far (marks aside), so an attempt can tell what was written while it ran. */
  written = 0

  constructor(limit: number) {
    this.#limit = limit
  }

  add(chunk: Buffer): void {
    if (this.#cut) {
      chunk = Buffer.concat([this.#cut, chunk])
      this.#cut = null
    }
    let from = 0
    for (;;) {
      const at = chunk.indexOf(markStart, from)
      const end = at < 0 ? -1 : chunk.indexOf(0, at + markStart.length)
      if (at < 0 || (end < 0 && chunk.length - at < markMaxBytes)) {
        // No mark further on, but perhaps the start of one the chunk's end cut through.
        const cut = at < 0 ? markPrefixAtEnd(chunk, from) : at
        this.#append(chunk.subarray(from, cut))
        // Copied, never kept as a view: a view would hold the whole chunk it came in.
        if (cut < chunk.length) this.#cut = Buffer.from(chunk.subarray(cut))
        break
      }
      if (end < 0 || end - at >= markMaxBytes) {
        // Bytes that only begin like a mark.
        this.#append(chunk.subarray(from, at + 1))
        from = at + 1
        continue
      }
      this.#append(chunk.subarray(from, at))
      this.#owners.push({ at: this.written, owner: chunk.toString('latin1', at + markStart.length, end) })
      from = end + 1
    }
    this.#forgetOwnersBefore(this.written - this.#bytes.length)
  }

  text(): string {
    return decode(this.#bytes)
  }

  /**
   * What was written since `mark` (a past `written`), as far as the tail still holds it. With `owner`: only
   * what that job wrote (before `mark` too: its lines may have arrived before the job before it ended) and
   * what no job did since `mark` (the runtime's own last words, a native library's).
   */
  since(mark: number, owner?: string): string {
    const start = this.written - this.#bytes.length
    if (owner === undefined) return this.#decodeFrom(Math.max(mark, start), this.written)
    const parts: Buffer[] = []
    for (let i = 0; i < this.#owners.length; i++) {
      const part = this.#owners[i]!
      if (part.owner !== owner && part.owner !== '') continue
      const from = Math.max(part.at, start, part.owner === '' ? mark : start)
      const to = this.#owners[i + 1]?.at ?? this.written
      if (to > from) parts.push(this.#slice(from, to))
    }
    return decode(Buffer.concat(parts))
  }

  #append(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.written += bytes.length
    // Copied, never kept as a view: a view would hold the whole chunk it came in.
    this.#bytes =
      bytes.length >= this.#limit
        ? Buffer.from(bytes.subarray(bytes.length - this.#limit))
        : Buffer.concat([this.#bytes.subarray(Math.max(0, this.#bytes.length + bytes.length - this.#limit)), bytes])
  }

  #forgetOwnersBefore(start: number): void {
    let keep = 0
    while (keep + 1 < this.#owners.length && this.#owners[keep + 1]!.at <= start) keep++
    if (keep > 0) this.#owners = this.#owners.slice(keep)
  }

  /** Bytes `from`..`to` (positions in all that was written) of those the tail holds. */
  #slice(from: number, to: number): Buffer {
    const start = this.written - this.#bytes.length
    return this.#bytes.subarray(from - start, to - start)
  }

  #decodeFrom(from: number, to: number): string {
    return to > from ? decode(this.#slice(from, to)) : ''
  }
}

/** Where the chunk's end could be the start of a mark cut short (the chunk's length if nowhere). */
function markPrefixAtEnd(chunk: Buffer, from: number): number {
  const zero = chunk.lastIndexOf(0)
  if (zero < from || zero < chunk.length - markStart.length) return chunk.length
  const rest = chunk.subarray(zero)
  return markStart.subarray(0, rest.length).equals(rest) ? zero : chunk.length
}

/** As text, without the remains of a character the tail's start cut through. */
function decode(bytes: Buffer): string {
  let start = 0
  while (start < bytes.length && start < 3 && ((bytes[start] as number) & 0xc0) === 0x80) start++
  return bytes.toString('utf8', start)
}
