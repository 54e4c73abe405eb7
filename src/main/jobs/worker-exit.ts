import type { JobError } from '../../shared/errors'
import type { WorkerExit } from './launcher'
import { stderrTailChars } from './protocol'

const outOfMemory = /heap out of memory|Allocation failed|OOMErrorHandler|out of memory/i

/** Why a worker that died mid-job died, in the terms a user reads. */
export function describeExit(exit: WorkerExit, stderrTail: string): JobError {
  const detail = { exitCode: exit.code, signal: exit.signal, stderrTail: stderrTail.slice(-stderrTailChars) }
  if (outOfMemory.test(stderrTail)) {
    return { code: 'OUT_OF_MEMORY', message: 'The worker ran out of memory', detail }
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`
  // Spool's own kills (cancel, timeout) are reported as such: this one came from elsewhere, most often the
  // system ending the biggest process when memory ran out.
  const why = exit.signal === 'SIGKILL' ? ' (by the system or another program; often memory running out)' : ''
  return { code: 'WORKER_CRASHED', message: `The worker process ${how} while running this job${why}`, detail }
}
