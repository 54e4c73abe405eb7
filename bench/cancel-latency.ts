import { setTimeout as sleep } from 'node:timers/promises'
import type { Spool } from '../src/main/jobs'
import { withBenchSpool, warmUp } from './bench-spool'
import { EventClock } from './event-clock'
import { descendants, isRunning } from './process-check'

/**
 * Milliseconds from `cancel` to the `cancelled` event at a window, for a job that honours its signal: one
 * job at a time is started, left running a moment (a varying one, so the cancel lands at every phase of the
 * event frame), and cancelled.
 */
export async function cooperativeCancel(samples: number): Promise<number[]> {
  return withBenchSpool({}, async (spool) => {
    await warmUp(spool)
    const clock = new EventClock(spool)
    const times: number[] = []
    for (let i = 0; i < samples; i++) {
      const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 600_000 } }])
      await clock.when(id!, 'started')
      await sleep(i % 17)
      const asked = performance.now()
      await spool.cancel({ ids: [id!] })
      times.push((await clock.when(id!, 'cancelled')) - asked)
    }
    clock.close()
    return times
  })
}

export interface StubbornCancel {
  /** From `cancel` to the `cancelled` event at a window. */
  ms: number
  /** Every process of the job's tree: the worker and all below it (the shell the job started, its children). */
  pids: number[]
  /** Those still running when `cancelled` arrived, and 100 ms later. */
  aliveAtCancelled: number[]
  aliveAfter100Ms: number[]
}

async function pidsOf(spool: Spool, id: string): Promise<number[]> {
  for (;;) {
    const line = (await spool.get(id))?.log?.find((entry) => entry.startsWith('pids '))
    const [worker, shell] = (line ?? '').split(' ').slice(1).map(Number)
    if (worker && shell) {
      const tree = descendants(worker)
      if (tree.includes(shell) && descendants(shell).length >= 2) return [worker, ...tree]
    }
    await sleep(5)
  }
}

/** Cancels jobs that ignore their signal and hold a process tree; each must be killed after `graceMs`. */
export async function stubbornCancel(samples: number, graceMs: number): Promise<StubbornCancel[]> {
  return withBenchSpool({ cancelGraceMs: graceMs }, async (spool) => {
    await warmUp(spool)
    const clock = new EventClock(spool)
    const results: StubbornCancel[] = []
    for (let i = 0; i < samples; i++) {
      const [id] = await spool.submit([{ kind: 'bench.stubborn', input: {} }])
      await clock.when(id!, 'started')
      const pids = await pidsOf(spool, id!)
      const asked = performance.now()
      await spool.cancel({ ids: [id!] })
      const ms = (await clock.when(id!, 'cancelled')) - asked
      const aliveAtCancelled = pids.filter(isRunning)
      await sleep(100)
      results.push({ ms, pids, aliveAtCancelled, aliveAfter100Ms: pids.filter(isRunning) })
    }
    clock.close()
    return results
  })
}
