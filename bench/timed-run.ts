import { readFileSync, readdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'

/** What the timed runs measured besides wall time (Linux; nothing elsewhere). */
export const runCpu = {
  /** The most CPU other processes took during any timed run since the last reset, in percent of all cores. */
  othersPct: undefined as number | undefined,
  /** The CPU time of this process and its children during the last timed run. */
  oursMs: 0,
  /** The CPU time of this process alone during the last timed run. */
  ownMs: 0,
}

/** Wall time of `work`, with the CPU it and everything else took meanwhile in `runCpu`. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const before = cpuTicks()
  const started = performance.now()
  const ownBefore = process.cpuUsage()
  await work()
  const own = process.cpuUsage(ownBefore)
  const ms = performance.now() - started
  runCpu.ownMs = (own.user + own.system) / 1000
  const after = cpuTicks()
  if (before && after) {
    let ours = 0
    for (const [pid, ticks] of after.ours) ours += ticks - (before.ours.get(pid) ?? 0)
    const others = Math.max(0, after.machine - before.machine - ours) * 10
    runCpu.oursMs = ours * 10
    runCpu.othersPct = Math.max(runCpu.othersPct ?? 0, (others / (ms * availableParallelism())) * 100)
  }
  return ms
}

/**
 * CPU ticks (1/100 s) the whole machine has been busy, and those of this process and each of its descendants
 * with their reaped children, from /proc; undefined where there is none.
 */
export function cpuTicks(): { machine: number; ours: Map<number, number> } | undefined {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number)
    const processes = new Map<number, { parent: number; ticks: number }>()
    for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0)
      processes.set(Number(name), { parent: Number(fields[1]), ticks })
    }
    const ours = new Map<number, number>()
    for (const [pid, { ticks }] of processes) {
      let ancestor: number | undefined = pid
      while (ancestor && ancestor !== process.pid) ancestor = processes.get(ancestor)?.parent
      if (ancestor) ours.set(pid, ticks)
    }
    return { machine: user! + nice! + system! + irq! + softirq! + steal!, ours }
  } catch {
    return undefined
  }
}

/** Waits until closed workers are reaped: their CPU would otherwise show up in this process during the next run. */
export async function childrenGone(count: number): Promise<void> {
  for (let i = 0; i < 100 && (cpuTicks()?.ours.size ?? 0) > count; i++) await new Promise((r) => setTimeout(r, 20))
}
