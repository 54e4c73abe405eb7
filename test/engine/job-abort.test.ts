import { describe, expect, it } from 'vitest'
import { JobAbort } from '../../src/main/jobs/worker/job-abort'

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
