/**
 * The end of what a worker wrote to stderr, kept as bytes and decoded only when read: a worker that floods
 * stderr (hundreds of megabytes, or binary garbage, slow to decode as text) costs the main process a copy of
 * at most `limit` bytes per chunk, and its memory stays bounded.
 */
export class StderrTail {
  readonly #limit: number
  #bytes = Buffer.alloc(0)
  /** Bytes written so far, so an attempt can tell what was written while it ran. */
  written = 0

  constructor(limit: number) {
    this.#limit = limit
  }

  add(chunk: Buffer): void {
    this.written += chunk.length
    // Copied, never kept as a view: a view would hold the whole chunk it came in.
    this.#bytes =
      chunk.length >= this.#limit
        ? Buffer.from(chunk.subarray(chunk.length - this.#limit))
        : Buffer.concat([this.#bytes.subarray(Math.max(0, this.#bytes.length + chunk.length - this.#limit)), chunk])
  }

  text(): string {
    return decode(this.#bytes)
  }

  /** What was written since `mark` (a past `written`), as far as the tail still holds it. */
  since(mark: number): string {
    const count = this.written - mark
    return count > 0 ? decode(this.#bytes.subarray(Math.max(0, this.#bytes.length - count))) : ''
  }
}

/** As text, without the remains of a character the tail's start cut through. */
function decode(bytes: Buffer): string {
  let start = 0
  while (start < bytes.length && start < 3 && ((bytes[start] as number) & 0xc0) === 0x80) start++
  return bytes.toString('utf8', start)
}
