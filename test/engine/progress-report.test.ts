import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AnyJobKind, ProgressUpdate } from '../../src/main/jobs/define-job'
import { readWorkerMessage } from '../../src/main/jobs/protocol'
import { progressReport } from '../../src/main/jobs/worker/progress-report'
import { JobAbort } from '../../src/main/jobs/worker/job-abort'
import { runJob } from '../../src/main/jobs/worker/run-job'
import { TrackedChildren } from '../../src/main/jobs/worker/tracked-children'

/** What the host reads of a progress message carrying `progress`, as it crossed the process boundary. */
const hostReads = (progress: unknown) =>
  readWorkerMessage(JSON.parse(JSON.stringify({ t: 'progress', jobId: '1', progress })))

describe("a handler's progress report", () => {
  it('mends what arithmetic gets slightly wrong', () => {
    const mended = (update: ProgressUpdate) => progressReport(update).progress
    expect(mended({ fraction: 1.0000001 })).toEqual({ fraction: 1 })
    expect(mended({ fraction: -0.01 })).toEqual({ fraction: 0 })
    expect(mended({ fraction: 0 / 0 })).toEqual({ fraction: null })
    expect(mended({ fraction: 1 / 0 })).toEqual({ fraction: null })
    expect(mended({ done: -1, total: 10 })).toEqual({ done: 0, total: 10 })
    expect(mended({ message: 'm'.repeat(600), unit: 'u'.repeat(30) })).toEqual({
      message: 'm'.repeat(500),
      unit: 'u'.repeat(20),
    })
  })

  it('leaves out and names what it cannot mend', () => {
    const report = progressReport({ fraction: 'half', done: NaN, total: 4, extra: 1 } as never)
    expect(report.progress).toEqual({ total: 4 })
    expect(report.ignored).toEqual(['fraction "half"', 'done NaN', 'extra (progress has no such field)'])
  })

  it('is always one the host accepts, whatever the handler passed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              fraction: fc.oneof(fc.double(), fc.constant(null), fc.anything()),
              done: fc.oneof(fc.double(), fc.anything()),
              total: fc.oneof(fc.double(), fc.anything()),
              unit: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
              message: fc.oneof(fc.string({ maxLength: 1000 }), fc.anything()),
            },
            { requiredKeys: [] },
          ),
        ),
        (update) => {
          expect(hostReads(progressReport(update as ProgressUpdate).progress)).not.toBeNull()
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('that cannot be mended leaves the job running, and its log says once what was left out', async () => {
    const posted: { t: string; line?: string; progress?: unknown }[] = []
    const kind = {
      kind: 'test.progress',
      run: async (_input: unknown, ctx: { progress: (update: unknown) => void }) => {
        for (let i = 0; i < 3; i++) ctx.progress({ fraction: 'half', done: i + 1, total: 3 })
        return 'done'
      },
    } as unknown as AnyJobKind
    const message = { t: 'run', jobId: '2', attempt: 1, kind: 'test.progress', input: null } as const
    await runJob(message, kind, new JobAbort(), new TrackedChildren(() => {}), (m) => posted.push(m as never))
    expect(posted.filter((m) => m.t === 'log').map((m) => m.line)).toEqual([
      'Spool left out of a progress report: fraction "half"',
    ])
    expect(posted.filter((m) => m.t === 'progress').map((m) => m.progress)).toEqual([
      { done: 1, total: 3 },
      { done: 2, total: 3 },
      { done: 3, total: 3 },
    ])
    expect(posted.at(-1)).toMatchObject({ t: 'succeeded', result: 'done' })
  })
})
