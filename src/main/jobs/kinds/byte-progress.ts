import { Transform } from 'node:stream'
import type { JobContext } from '../define-job'

const reportEveryMs = 100

/** Passes bytes through, reporting how many went by (at most every 100 ms, and once at the end). */
export function byteProgress(total: number, progress: JobContext['progress']): Transform {
  let done = 0
  let reported = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length
      const now = Date.now()
      if (now - reported >= reportEveryMs) {
        reported = now
        progress({ done, total, unit: 'B' })
      }
      callback(null, chunk)
    },
    flush(callback) {
      progress({ done, total: Math.max(total, done), unit: 'B' })
      callback()
    },
  })
}
