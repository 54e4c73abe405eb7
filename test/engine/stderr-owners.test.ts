import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { stderrTailChars } from '../../src/main/jobs/protocol'
import { StderrTail } from '../../src/main/jobs/stderr-tail'
import { StderrOwners } from '../../src/main/jobs/worker/stderr-owners'

/** A worker's stderr as the host reads it: the bytes written, in chunks cut wherever the pipe cuts them. */
function workerStderr() {
  const bytes: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes.push(chunk)
      done()
    },
  })
  let turn: string | undefined
  const owners = new StderrOwners(() => turn, stream)
  return {
    owners,
    stream,
    take: (id: string | undefined) => (turn = id),
    /** All written so far, fed to a tail in chunks of `size` bytes. */
    read(size: number, limit = 8192): StderrTail {
      const all = Buffer.concat(bytes)
      const tail = new StderrTail(limit)
      for (let at = 0; at < all.length; at += size) tail.add(all.subarray(at, at + size))
      return tail
    },
  }
}

describe("a worker's stderr, sorted by whose each line is", () => {
  it('gives each job its own lines, and those no job wrote since its start, however the pipe cut the marks', () => {
    const worker = workerStderr()
    worker.stream.write('before any job\n')
    worker.take('7')
    worker.stream.write('seven: warning\n')
    worker.take(undefined)
    worker.owners.passed()
    const eightStarts = Buffer.byteLength('before any job\nseven: warning\n')
    worker.take('8')
    // A native library writes straight to the file descriptor: no mark, no job's.
    worker.stream.write('ééé native: out of memory\n')
    worker.stream.write(Buffer.from('eight: dying\n'))
    worker.take('9')
    worker.stream.write('nine: started\n')
    for (const size of [1, 2, 3, 5, 7, 13, 29, 64, 4096]) {
      const tail = worker.read(size)
      expect(tail.text(), `chunks of ${size}`).toBe(
        'before any job\nseven: warning\nééé native: out of memory\neight: dying\nnine: started\n',
      )
      expect(tail.since(eightStarts, '8'), `chunks of ${size}`).toBe('ééé native: out of memory\neight: dying\n')
      expect(tail.since(0, '7'), `chunks of ${size}`).toBe('before any job\nseven: warning\n')
      expect(tail.since(eightStarts, '9'), `chunks of ${size}`).toBe('nine: started\n')
    }
  })

  it('passes on bytes that only begin like a mark, as they were written', () => {
    const tail = new StderrTail(8192)
    const lookalike = Buffer.concat([Buffer.from('\u0000spool-stderr-owner:'), Buffer.alloc(40, 'x'), Buffer.from([0])])
    tail.add(lookalike)
    tail.add(Buffer.from('\u0000spool'))
    tail.add(Buffer.from('!\n'))
    expect(tail.text()).toBe(`${lookalike.toString('latin1')}\u0000spool!\n`)
    expect(tail.written).toBe(lookalike.length + 8)
  })

  it('keeps what the job holding the turn wrote, its last characters only, for its failure to carry', () => {
    const worker = workerStderr()
    worker.take('3')
    worker.stream.write('x'.repeat(stderrTailChars))
    worker.stream.write(Buffer.from('three: failing\n'))
    worker.take('4')
    worker.stream.write('four\n')
    expect(worker.owners.take('3')).toBe(`${'x'.repeat(stderrTailChars - 15)}three: failing\n`)
    expect(worker.owners.take('3')).toBeUndefined()
    expect(worker.owners.take('5')).toBeUndefined()
    expect(worker.owners.take('4')).toBe('four\n')
  })
})
