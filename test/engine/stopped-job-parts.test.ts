import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { KindRegistry } from '../../src/main/jobs/kind-registry'
import { StoppedJobParts } from '../../src/main/jobs/stopped-job-parts'

const registry = { writeFolders: () => ['/mnt/share/out'] } as unknown as KindRegistry
const stopped = [{ kind: 'image.convert', input: {} }]

/** Sweeps whose folder read never returns (a network drive that stopped answering), and which folders they read. */
function hungSweeps() {
  const read: string[] = []
  const parts = new StoppedJobParts(registry, (folder) => {
    read.push(folder)
    return new Promise(() => {})
  })
  return { parts, read }
}

/** Whether `promise` has settled by now. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true))
  await vi.advanceTimersByTimeAsync(0)
  return done
}

describe('sweeping the parts of stopped jobs, as Spool closes', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] }))
  afterEach(() => void vi.useRealTimers())

  it('waits for a folder that does not answer no longer than its limit', async () => {
    const { parts, read } = hungSweeps()
    parts.add(stopped)
    const finished = parts.finish(5000)
    await vi.advanceTimersByTimeAsync(4999)
    expect(read).toEqual(['/mnt/share/out'])
    expect(await settled(finished)).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await settled(finished)).toBe(true)
  })

  it('stops a sweep that does not answer within its limit too', async () => {
    const { parts } = hungSweeps()
    parts.add(stopped)
    await vi.advanceTimersByTimeAsync(0)
    const stoppedSweep = parts.stop(5000)
    expect(await settled(stoppedSweep)).toBe(false)
    await vi.advanceTimersByTimeAsync(5000)
    expect(await settled(stoppedSweep)).toBe(true)
  })

  it('resolves as soon as the sweeps are done', async () => {
    const parts = new StoppedJobParts(registry, async () => 0)
    parts.add(stopped)
    expect(await settled(parts.finish(5000))).toBe(true)
  })
})
