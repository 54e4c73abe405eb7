import { stderrOwnerMark, stderrTailChars } from '../protocol'

type Write = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean

/**
 * Says whose each write to stderr is. The host reads one pipe for all the jobs a worker runs, and a job's
 * lines may reach it after the job's end, or together with the next job's lines; a failure must carry the
 * failing job's lines, never another's. So before a job's code writes, a mark names the job (and once the turn
 * passes, a mark naming no one ends its part): the host sorts the bytes as they were written, however late
 * they come (see `StderrTail`). A job that writes nothing costs nothing.
 *
 * What the job holding the turn writes is kept here too: its failure carries it, as the failure may arrive
 * before the lines do.
 */
export class StderrOwners {
  readonly #owner: () => string | undefined
  readonly #write: Write
  /** Whom the last mark named ('' no one). */
  #marked = ''
  readonly #written = new Map<string, string>()

  /** `owner`: the job whose turn it is, if any. */
  constructor(owner: () => string | undefined, stream: NodeJS.WritableStream = process.stderr) {
    this.#owner = owner
    const write = stream.write.bind(stream) as Write
    this.#write = write
    // Every write made through the stream (`console.error` too); a native library's own writes to the file
    // descriptor pass by, and count as no one's.
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const owner = this.#owner() ?? ''
      this.#mark(owner)
      if (owner) this.#keep(owner, chunk)
      return write(chunk, ...rest)
    }) as NodeJS.WritableStream['write']
  }

  /** The turn passed: what follows is no job's until a job writes. */
  passed(): void {
    this.#mark('')
  }

  /** What the job wrote while it held the turn (its last `stderrTailChars`), if anything; forgets it. */
  take(jobId: string): string | undefined {
    const text = this.#written.get(jobId)
    this.#written.delete(jobId)
    return text
  }

  #mark(owner: string): void {
    if (owner === this.#marked) return
    this.#marked = owner
    this.#write(stderrOwnerMark(owner))
  }

  #keep(owner: string, chunk: string | Uint8Array): void {
    // Only the end of a large write can be kept.
    const text =
      typeof chunk === 'string'
        ? chunk.slice(-stderrTailChars)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
            .subarray(-4 * stderrTailChars)
            .toString()
    this.#written.set(owner, ((this.#written.get(owner) ?? '') + text).slice(-stderrTailChars))
  }
}
