import { afterEach, describe, expect, it } from 'vitest'
import { runTool } from '../../src/main/jobs/tools/run-tool'
import { fakeJobContext, type FakeJobContext } from '../support/fake-job-context'
import { eventually } from '../support/test-spool'
import { isAlive } from '../support/processes'

describe('a tool run by a job', () => {
  const contexts: FakeJobContext[] = []
  const context = () => {
    const ctx = fakeJobContext()
    contexts.push(ctx)
    return ctx
  }
  afterEach(() => {
    for (const ctx of contexts.splice(0)) ctx.controller.abort()
  })

  it('that prints without end is stopped with a clear error, its output not kept', async () => {
    const ctx = context()
    // `cat /dev/zero` never ends and never writes a newline: both what is collected and a pending line grow.
    const collected = runTool(ctx, 'cat', ['/dev/zero'], { stdoutChars: 1 << 20 })
    await expect(collected).rejects.toMatchObject({
      code: 'HANDLER_ERROR',
      message: 'cat wrote more than 1 MiB of output; it was stopped',
    })
    const lines: string[] = []
    const byLine = runTool(ctx, 'cat', ['/dev/zero'], { stdoutChars: 1 << 20, onLine: (line) => lines.push(line) })
    await expect(byLine).rejects.toMatchObject({
      message: 'cat wrote more than 1 MiB of output in one line; it was stopped',
    })
    expect(lines).toEqual([])
    for (const child of ctx.children) await eventually(() => !isAlive(child.pid!))
  })

  it('that prints a lot in short lines hands every line over, and collects output under the limit whole', async () => {
    const ctx = context()
    const script = 'for (let i = 0; i < 200000; i++) console.log("line " + i)'
    let count = 0
    const run = await runTool(ctx, process.execPath, ['-e', script], { stdoutChars: 1 << 16, onLine: () => count++ })
    expect(run.code).toBe(0)
    expect(count).toBe(200_000)
    const small = await runTool(ctx, process.execPath, ['-e', 'process.stdout.write("a\\n".repeat(1000))'])
    expect(small.stdout).toBe('a\n'.repeat(1000))
  })
})
