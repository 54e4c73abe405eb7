import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The folder under which a worker makes its jobs' temp folders. Named after the worker's pid, so that the
 * main process can remove what a worker that died left behind.
 */
export function workerTempRoot(pid: number): string {
  return join(tmpdir(), `spool-worker-${pid}`)
}
