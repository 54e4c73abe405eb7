import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { AnyJobKind, JobContext } from '../../src/main/jobs/define-job'
import { JobAbort } from '../../src/main/jobs/worker/job-abort'
import { runJob, type JobMessage } from '../../src/main/jobs/worker/run-job'
import { TrackedChildren } from '../../src/main/jobs/worker/tracked-children'

describe("a job's cancel signal, made when first looked at", () => {
  it('fires with its reason when the job looked at it before the cancel', () => {
    const abort = new JobAbort()
    const { signal } = abort
    const reasons: unknown[] = []
    signal.addEventListener('abort', () => reasons.push(signal.reason))
    const reason = new Error('Cancelled')
    abort.abort(reason)
    expect(reasons).toEqual([reason])
    expect(abort.aborted).toBe(true)
  })

  it('is already aborted, with the first reason, when the job looks at it after the cancel', () => {
    const abort = new JobAbort()
    const first = new Error('Timed out')
    abort.abort(first)
    abort.abort(new Error('Cancelled'))
    expect(abort.aborted).toBe(true)
    expect(abort.signal.aborted).toBe(true)
    expect(abort.signal.reason).toBe(first)
    expect(() => abort.signal.throwIfAborted()).toThrow(first)
  })

  it('is not aborted while no cancel came', () => {
    const abort = new JobAbort()
    expect(abort.aborted).toBe(false)
    expect(abort.signal.aborted).toBe(false)
  })
})

describe("a handler's context", () => {
  it('works taken apart, as handlers write it, and its temp folder is gone once the job ends', async () => {
    const posted: JobMessage[] = []
    let tmpDir = ''
    const kind = {
      kind: 'test.parts',
      run: async (_input: unknown, { jobId, attempt, signal, progress, log, heartbeat, tmpDir: dir }: JobContext) => {
        tmpDir = dir
        expect(existsSync(dir)).toBe(true)
        progress({ done: 1, total: 2 })
        log('half way')
        heartbeat()
        return { jobId, attempt, aborted: signal.aborted }
      },
    } as unknown as AnyJobKind
    const message = { t: 'run', jobId: '12', attempt: 3, kind: 'test.parts', input: null } as const
    await runJob(message, kind, new JobAbort(), new TrackedChildren(() => {}), (m) => posted.push(m))
    expect(posted).toEqual([
      { t: 'progress', jobId: '12', progress: { done: 1, total: 2 } },
      { t: 'log', jobId: '12', line: 'half way' },
      { t: 'heartbeat', jobId: '12' },
      { t: 'succeeded', jobId: '12', result: { jobId: '12', attempt: 3, aborted: false }, ms: expect.any(Number) },
    ])
    expect(tmpDir).not.toBe('')
    expect(existsSync(tmpDir)).toBe(false)
  })
})
