// `npm run bench [-- --quick]`: every scenario side by side with its baseline in one run; prints a table and
// writes JSON under bench/results/ so runs can be compared.
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { runConversionOverhead } from './conversion-overhead'
import { eventLoopUnderBareFlood, eventLoopUnderProgress } from './event-loop'
import { interleaved, median, spread } from './stats'
import { bareFork, spoolNoop } from './throughput'

const quick = process.argv.includes('--quick')
const rows: { scenario: string; measured: string; target: string; met: boolean; raw: unknown }[] = []

function row(scenario: string, measured: string, target: string, met: boolean, raw: unknown): void {
  rows.push({ scenario, measured, target, met, raw })
  console.log(`${met ? 'ok  ' : 'MISS'} ${scenario}: ${measured} (target ${target})`)
}

const pct = (value: number) => `±${(value * 100).toFixed(0)}%`

async function throughput(): Promise<void> {
  const jobs = quick ? 4000 : 20_000
  const rounds = quick ? 2 : 3
  const runs = await interleaved(rounds, {
    spool: () => spoolNoop(jobs, 2),
    bare1: () => bareFork(jobs, 2, 1),
    bare8: () => bareFork(jobs, 2, 8),
  })
  const spool = median(runs.spool)
  const ratio = spool / median(runs.bare1)
  row(
    `${jobs} no-op jobs, 2 workers: Spool (persisted) vs p-queue + 2 bare forks`,
    `${spool.toFixed(0)} jobs/s ${pct(spread(runs.spool))}; bare 1 in flight ${median(runs.bare1).toFixed(0)}/s, ` +
      `bare 8 in flight ${median(runs.bare8).toFixed(0)}/s; ratio ${ratio.toFixed(2)}×`,
    '≥ 1.00× bare (1 in flight)',
    ratio >= 1,
    runs,
  )
}

async function eventLoop(): Promise<void> {
  const flood = { workers: 2, ratePerSecond: 10_000, seconds: quick ? 2 : 5 }
  const runs = await interleaved(quick ? 1 : 3, {
    spool: async () => (await eventLoopUnderProgress({ ...flood, windows: 1 })).p99Ms,
    bare: async () => (await eventLoopUnderBareFlood(flood)).p99Ms,
  })
  const spool = median(runs.spool)
  const bare = median(runs.bare)
  row(
    'main event-loop delay p99, 2 workers × 10,000 progress/s, 1 subscriber',
    `Spool ${spool.toFixed(2)} ms; the same flood with no Spool ${bare.toFixed(2)} ms; ${(spool / bare).toFixed(2)}×`,
    'p99 ≤ 2 ms',
    spool <= 2,
    runs,
  )
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
console.log(`Spool benchmarks${quick ? ' (quick)' : ''} — ${new Date().toISOString()} — ${machine}\n`)
async function conversions(): Promise<void> {
  const { figures, coldStartMs } = await runConversionOverhead({ quick })
  for (const figure of figures) {
    row(
      `conversion overhead: ${figure.scenario}`,
      `direct ${(figure.directMs / 1000).toFixed(2)} s ±${figure.spreadPct.direct.toFixed(0)}%, ` +
        `Spool ${(figure.spoolMs / 1000).toFixed(2)} s ±${figure.spreadPct.spool.toFixed(0)}%; ` +
        `${figure.overheadPct >= 0 ? '+' : ''}${figure.overheadPct.toFixed(1)}%`,
      '≤ +3%',
      figure.overheadPct <= 3,
      figure,
    )
  }
  console.log(`(cold start, apart: opening Spool and converting one image took ${(coldStartMs / 1000).toFixed(2)} s)`)
}

for (const scenario of [throughput, eventLoop, conversions]) await scenario()

mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
const file = new URL(`./results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url)
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, quick, rows }, null, 2))
console.log('\n| scenario | measured | target | met |\n|---|---|---|---|')
for (const r of rows) console.log(`| ${r.scenario} | ${r.measured} | ${r.target} | ${r.met ? 'yes' : 'no'} |`)
