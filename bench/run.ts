// `npm run bench [-- --quick]`: every scenario side by side with its baseline in one run; prints a table and
// writes JSON under bench/results/ so runs can be compared.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { runConversionOverhead } from './conversion-overhead'
import {
  cancelCooperative,
  cancelStubborn,
  eventLoop,
  progressToWindow,
  stderrFlood,
  throughput,
} from './engine-scenarios'
import type { Bench, Row, Scenario } from './report'
import { dashboardFirstPaint, growth, listAndSnapshot, openWithBacklog } from './scale-scenarios'
import { buildBenchWorker } from './worker-build'

const quick = process.argv.includes('--quick')
const rows: Row[] = []
const notes: string[] = []
const bench: Bench = {
  quick,
  row(row) {
    rows.push(row)
    console.log(`${row.met ? 'ok  ' : 'MISS'} ${row.scenario}: ${row.measured} (target ${row.target})`)
  },
  note(line) {
    notes.push(line)
    console.log(`     ${line}`)
  },
}

async function conversions(bench: Bench): Promise<void> {
  const { figures, coldStartMs } = await runConversionOverhead({ quick: bench.quick })
  for (const figure of figures) {
    bench.row({
      scenario: `conversion overhead: ${figure.scenario}`,
      measured:
        `direct ${(figure.directMs / 1000).toFixed(2)} s ±${figure.spreadPct.direct.toFixed(0)}%, ` +
        `Spool ${(figure.spoolMs / 1000).toFixed(2)} s ±${figure.spreadPct.spool.toFixed(0)}%; ` +
        `${figure.overheadPct >= 0 ? '+' : ''}${figure.overheadPct.toFixed(1)}% (median of ${figure.roundPcts.length} paired rounds)`,
      target: '≤ +3%',
      met: figure.overheadPct <= 3,
      raw: figure,
    })
  }
  if (coldStartMs !== undefined)
    bench.note(`cold start, apart: opening Spool and converting one image took ${(coldStartMs / 1000).toFixed(2)} s`)
}

const scenarios: Scenario[] = [
  throughput,
  eventLoop,
  stderrFlood,
  progressToWindow,
  cancelCooperative,
  cancelStubborn,
  openWithBacklog,
  listAndSnapshot,
  dashboardFirstPaint,
  growth,
  conversions,
]

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
const began = performance.now()
// Other work on the machine inflates every figure; the load average says how much there was.
const load = () => loadavg()[0]!.toFixed(1)
const loadAtStart = load()
console.log(
  `Spool benchmarks${quick ? ' (quick)' : ''} — ${new Date().toISOString()} — ${machine}, load average ${loadAtStart}\n`,
)
/**
 * CPU seconds used by this process and the children it has collected (workers, browsers, ffmpeg), from /proc
 * (Linux; null elsewhere): what a run costs, whatever else the machine is doing.
 */
function cpuSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100
  } catch {
    return null
  }
}

await buildBenchWorker()
const seconds: Record<string, number> = {}
const cpu: Record<string, number> = {}
for (const scenario of scenarios) {
  const started = performance.now()
  const cpuBefore = cpuSeconds()
  try {
    await scenario(bench)
  } catch (error) {
    // One scenario that cannot run (a browser missing, a page that never paints) must not cost the others.
    const message = (error as Error).message?.split('\n')[0] ?? String(error)
    bench.row({ scenario: scenario.name, measured: `could not run: ${message}`, target: '—', met: false, raw: null })
  }
  seconds[scenario.name] = (performance.now() - started) / 1000
  const cpuAfter = cpuSeconds()
  if (cpuBefore !== null && cpuAfter !== null) cpu[scenario.name] = cpuAfter - cpuBefore
}
const total = (performance.now() - began) / 1000

mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
const file = new URL(`./results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, import.meta.url)
const loadAverage = { start: Number(loadAtStart), end: Number(load()) }
writeFileSync(
  file,
  JSON.stringify({ date: new Date().toISOString(), machine, loadAverage, quick, seconds, cpu, notes, rows }, null, 2),
)
console.log('\n| scenario | measured | target | met |\n|---|---|---|---|')
for (const r of rows) console.log(`| ${r.scenario} | ${r.measured} | ${r.target} | ${r.met ? 'yes' : 'no'} |`)
const cpuTotal = Object.values(cpu).reduce((sum, value) => sum + value, 0)
console.log(
  `\n${rows.filter((r) => r.met).length} of ${rows.length} targets met, in ${total.toFixed(0)} s ` +
    `(load average ${loadAverage.start} at the start, ${loadAverage.end} at the end)` +
    (cpuTotal > 0 ? `; the scenarios took ${cpuTotal.toFixed(0)} s of CPU` : ''),
)
