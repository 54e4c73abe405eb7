import { constants, getPriority } from 'node:os'
import { describe, expect, it } from 'vitest'
import { eventually, useSpool } from '../support/test-spool'
import { loggedChildPids, parentOf } from '../support/processes'

describe('worker priority', () => {
  const open = useSpool()

  it('runs workers and the tools they start below normal priority, leaving the host at its own', async () => {
    const { spool } = await open()
    const hostPriority = getPriority()
    const [id] = await spool.submit([{ kind: 'debug.fail', input: { mode: 'hang', child: true } }])
    let child: number | undefined
    await eventually(async () => {
      child = loggedChildPids((await spool.get(id!))?.log)[0]
      return child !== undefined
    })
    const worker = parentOf(child!)
    expect(worker).toBeGreaterThan(0)
    expect(worker).not.toBe(process.pid)
    expect(getPriority(worker)).toBe(Math.max(hostPriority, constants.priority.PRIORITY_BELOW_NORMAL))
    expect(getPriority(child)).toBe(getPriority(worker))
    expect(getPriority()).toBe(hostPriority)
    await spool.cancel({ ids: [id!] })
    expect((await spool.wait(id!)).state).toBe('cancelled')
  })
})
