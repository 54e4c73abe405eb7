import { cooperativeCancel, stubbornCancel } from './cancel-latency'
import { eventLoopUnderBareFlood, eventLoopUnderProgress } from './event-loop'
import { progressLatency } from './progress-latency'
import { stderrFloodBare, stderrFloodThroughSpool, type FloodFigures } from './stderr-flood'
import { count, medianMs, ms, percentile, spreadOf, type Bench } from './report'
import { interleaved, median } from './stats'
import { bareFork, oneStepJob, piscinaNoop, spoolNoop } from './throughput'

export async function throughput(bench: Bench): Promise<void> {
  const jobs = bench.quick ? 2000 : 20_000
  const runs = await interleaved(bench.quick ? 1 : 3, {
    spool: () => spoolNoop(jobs, 2),
    oneStep: () => spoolNoop(jobs, 2, oneStepJob),
    bare1: () => bareFork(jobs, 2, 1),
    bare8: () => bareFork(jobs, 2, 8),
    piscina: () => piscinaNoop(jobs, 2),
  })
  const rate = (name: keyof typeof runs) => `${count(median(runs[name]))}/s${spreadOf(runs[name])}`
  const ratio = median(runs.spool) / median(runs.bare1)
  bench.row({
    scenario: `${count(jobs)} no-op jobs, 2 workers: Spool (persisted) vs p-queue + 2 bare forks, Piscina 2 threads`,
    measured:
      `Spool ${rate('spool')} (jobs reporting one progress step ${rate('oneStep')}); ` +
      `bare forks 1 in flight ${rate('bare1')}, 8 in flight ${rate('bare8')}; ` +
      `Piscina ${rate('piscina')}; ${ratio.toFixed(2)}× bare (1 in flight)`,
    target: '≥ 1.00× bare (1 in flight)',
    met: ratio >= 1,
    raw: runs,
  })
}

export async function eventLoop(bench: Bench): Promise<void> {
  const flood = { workers: 2, ratePerSecond: 10_000, seconds: bench.quick ? 1 : 5 }
  // The target is for one subscriber; three windows, as a desktop user may have open, are measured beside it.
  const runs = await interleaved(bench.quick ? 1 : 3, {
    spool: async () => (await eventLoopUnderProgress({ ...flood, windows: 1 })).p99Ms,
    windows3: async () => (await eventLoopUnderProgress({ ...flood, windows: 3 })).p99Ms,
    bare: async () => (await eventLoopUnderBareFlood(flood)).p99Ms,
  })
  const ratio = median(runs.spool) / median(runs.bare)
  bench.row({
    scenario: 'main event-loop delay p99, 2 workers × 10,000 progress/s, 1 subscriber',
    measured:
      `Spool ${medianMs(runs.spool)} (3 subscribed windows ${medianMs(runs.windows3)}); ` +
      `the same flood with no Spool ${medianMs(runs.bare)}; ${ratio.toFixed(2)}×`,
    target: '≤ 2 ms and ≤ 2× the bare flood',
    met: median(runs.spool) <= 2 && ratio <= 2,
    raw: runs,
  })
}

/** Runs `sample` once per round and reports percentiles per round, their median across rounds and spread. */
async function latencyRounds(rounds: number, sample: () => Promise<number[]>) {
  const all: number[] = []
  const perRound: { p50: number; p95: number; p99: number }[] = []
  for (let round = 0; round < rounds; round++) {
    const samples = await sample()
    all.push(...samples)
    perRound.push({ p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) })
  }
  const of = (key: 'p50' | 'p95' | 'p99') => perRound.map((round) => round[key])
  return { all, perRound, p50: of('p50'), p95: of('p95'), p99: of('p99'), max: Math.max(...all) }
}

export async function progressToWindow(bench: Bench): Promise<void> {
  const options = { jobs: 2, reports: bench.quick ? 40 : 150, everyMs: 37 }
  const result = await latencyRounds(bench.quick ? 1 : 3, () => progressLatency(options))
  bench.row({
    scenario: 'progress → window latency (ctx.progress in the worker to the 3rd window), 2 jobs',
    measured:
      `p95 ${medianMs(result.p95)}; p50 ${ms(median(result.p50))}, p99 ${ms(median(result.p99))}, ` +
      `max ${ms(result.max)}; ${count(result.all.length)} reports`,
    target: 'p95 ≤ 50 ms',
    met: median(result.p95) <= 50,
    raw: { perRound: result.perRound, samples: result.all },
  })
}

export async function cancelCooperative(bench: Bench): Promise<void> {
  const result = await latencyRounds(bench.quick ? 1 : 3, () => cooperativeCancel(bench.quick ? 30 : 100))
  bench.row({
    scenario: 'cancel → `cancelled` at a window, cooperative job (debug.sleep)',
    measured:
      `p50 ${medianMs(result.p50)}, p99 ${medianMs(result.p99)}, max ${ms(result.max)}; ` +
      `${count(result.all.length)} cancels`,
    target: 'p99 ≤ 50 ms',
    met: median(result.p99) <= 50,
    raw: { perRound: result.perRound, samples: result.all },
  })
}

export async function cancelStubborn(bench: Bench): Promise<void> {
  const graceMs = 1000
  const results = await stubbornCancel(bench.quick ? 1 : 3, graceMs)
  const times = results.map((result) => result.ms)
  const processes = results.reduce((sum, result) => sum + result.pids.length, 0)
  const left = results.reduce((sum, result) => sum + result.aliveAtCancelled.length, 0)
  const leftLater = results.reduce((sum, result) => sum + result.aliveAfter100Ms.length, 0)
  bench.row({
    scenario: `cancel of a job that ignores its signal (grace ${count(graceMs)} ms), worker + shell + 2 children`,
    measured:
      `${medianMs(times)}, max ${ms(Math.max(...times))}; ${left} of ${processes} processes still running at ` +
      `\`cancelled\`, ${leftLater} 100 ms later; ${results.length} cancels`,
    target: `≤ ${count(graceMs + 100)} ms, process tree gone`,
    met: Math.max(...times) <= graceMs + 100 && left === 0,
    raw: results,
  })
}

export async function stderrFlood(bench: Bench): Promise<void> {
  const mb = bench.quick ? 50 : 300
  const runs = { spool: [] as FloodFigures[], bare: [] as FloodFigures[] }
  for (let round = 0; round < (bench.quick ? 1 : 3); round++) {
    // Alternating which goes first, as `interleaved` does.
    if (round % 2 === 0) runs.spool.push(await stderrFloodThroughSpool(mb))
    runs.bare.push(await stderrFloodBare(mb))
    if (round % 2 === 1) runs.spool.push(await stderrFloodThroughSpool(mb))
  }
  const of = (name: keyof typeof runs, key: 'p99Ms' | 'seconds' | 'rssGrowthMb') =>
    median(runs[name].map((run) => run[key]))
  const ratio = of('spool', 'p99Ms') / of('bare', 'p99Ms')
  bench.row({
    scenario: `main event-loop delay p99 while a worker writes ${mb} MiB of binary garbage to stderr`,
    measured:
      `Spool ${of('spool', 'p99Ms').toFixed(1)} ms (${of('spool', 'seconds').toFixed(1)} s, memory +${of('spool', 'rssGrowthMb').toFixed(0)} MB); ` +
      `a bare child read and dropped ${of('bare', 'p99Ms').toFixed(1)} ms (${of('bare', 'seconds').toFixed(1)} s); ${ratio.toFixed(2)}×`,
    target: '≤ 2× the bare reading, memory +≤ 100 MB',
    met: ratio <= 2 && of('spool', 'rssGrowthMb') <= 100,
    raw: runs,
  })
}
