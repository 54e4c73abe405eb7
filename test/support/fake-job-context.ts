import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JobContext, ProgressUpdate } from '../../src/main/jobs/define-job'
import { killTree } from '../../src/main/jobs/process-tree'

export interface FakeJobContext extends JobContext {
  controller: AbortController
  updates: ProgressUpdate[]
  lines: string[]
  children: ChildProcess[]
  /** The last fraction reported, from `fraction` or done/total, as the engine computes it. */
  lastFraction(): number | null
}

/**
 * A job context without the engine, for running a kind's handler in the test process: a real signal, temp
 * folder and child processes (each in its own group and killed on abort, as the worker does).
 */
export function fakeJobContext(): FakeJobContext {
  const controller = new AbortController()
  const updates: ProgressUpdate[] = []
  const lines: string[] = []
  const children: ChildProcess[] = []
  return {
    jobId: 'test-job',
    attempt: 1,
    signal: controller.signal,
    tmpDir: mkdtempSync(join(tmpdir(), 'spool-job-tmp-')),
    controller,
    updates,
    lines,
    children,
    progress: (update) => updates.push(update),
    log: (line) => lines.push(line),
    heartbeat: () => {},
    spawn(command, args, options = {}) {
      controller.signal.throwIfAborted()
      const child = spawn(command, args, { ...options, detached: true })
      children.push(child)
      controller.signal.addEventListener('abort', () => child.pid && killTree(child.pid, 'SIGTERM'), { once: true })
      return child
    },
    lastFraction() {
      const last = updates.at(-1)
      if (!last) return null
      if (last.fraction !== undefined) return last.fraction
      return last.total ? (last.done ?? 0) / last.total : null
    },
  }
}
