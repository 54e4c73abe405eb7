import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { limits } from '../../src/shared/limits'
import type { AnyJobKind, JobContext } from '../../src/main/jobs/define-job'
import { JobAbort } from '../../src/main/jobs/worker/job-abort'
import { runJob, type JobMessage } from '../../src/main/jobs/worker/run-job'
import { TrackedChildren } from '../../src/main/jobs/worker/tracked-children'

/** Runs a handler as a worker does and answers what it posted of the job's end. */
async function ended(handler: () => unknown): Promise<unknown> {
  const posted: { t: string }[] = []
  const kind = { kind: 'test.result', run: async () => handler() } as unknown as AnyJobKind
  const message = { t: 'run', jobId: '9', attempt: 1, kind: 'test.result', input: null } as const
  await runJob(message, kind, new JobAbort(), new TrackedChildren(() => {}), (m) => posted.push(m as never))
  return posted.find((m) => m.t === 'succeeded' || m.t === 'failed')
}

/** What a conversion of `count` images answers: one output each. */
const outputs = (count: number) => ({
  outputs: Array.from({ length: count }, (_, i) => ({
    path: `/home/someone/Pictures/Holidays 2026/Converted for the web/IMG_${String(i).padStart(5, '0')}-edited.webp`,
    size: 1_234_567,
  })),
  skipped: [],
})

describe("a job's result", () => {
  it('travels whole when it is as large as a conversion of 10,000 images answers', async () => {
    const result = outputs(10_000)
    expect(JSON.stringify(result).length).toBeGreaterThan(limits.inputBytes)
    expect(await ended(() => result)).toMatchObject({ t: 'succeeded', result })
  })

  it('fails the job as the handler’s bug when it is too large to keep and send to every window', async () => {
    const result = { text: 'x'.repeat(limits.resultBytes) }
    expect(await ended(() => result)).toMatchObject({
      t: 'failed',
      error: { code: 'HANDLER_ERROR', message: expect.stringMatching(/result is too large to keep \(8\.0 MB/) },
    })
  })

  it('fails the job as the handler’s bug when it cannot travel as JSON', async () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(await ended(() => cycle)).toMatchObject({ t: 'failed', error: { code: 'HANDLER_ERROR' } })
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
