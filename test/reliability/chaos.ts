// npm run test:chaos: the full crash loop (40 kills, 3,000 jobs by default). Prints each kill and a summary;
// exits 1 on any violation. SPOOL_CHAOS_KILLS, SPOOL_CHAOS_JOBS and SPOOL_CHAOS_SEED override the defaults.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCrashLoop } from './crash-loop'

const kills = Number(process.env.SPOOL_CHAOS_KILLS ?? 40)
const jobs = Number(process.env.SPOOL_CHAOS_JOBS ?? 3000)
const seed = Number(process.env.SPOOL_CHAOS_SEED ?? Date.now() % 1_000_000)
const dataDir = mkdtempSync(join(tmpdir(), 'spool-chaos-'))

console.log(`Crash loop: ${jobs} jobs, ${kills} kills, seed ${seed} (replay with SPOOL_CHAOS_SEED=${seed})`)
const report = await runCrashLoop({ dataDir, jobs, kills, seed, onProgress: (line) => console.log(`  ${line}`) })
const failures = report.violations
console.log(
  [
    `Kills survived: ${report.killsSurvived} (${report.killedBeforeReady} before the host was ready)`,
    `Jobs checked: ${report.jobsChecked} of ${jobs} submitted; final states ${JSON.stringify(report.finalStates)}`,
    `Interruptions (a job caught running by a kill): ${report.interruptions}; jobs run more than once: ${report.rerun}`,
    `Processes checked for orphans: ${report.orphansChecked}`,
    `Duration: ${(report.durationMs / 1000).toFixed(1)} s`,
    failures.length
      ? `FAILED, ${failures.length} violations:\n${failures.map((v) => `  - ${v}`).join('\n')}`
      : 'OK: every job accounted for once, none running, integrity ok, no process outlived its host',
  ].join('\n'),
)
if (failures.length) {
  console.log(`Data kept in ${dataDir}`)
  process.exitCode = 1
} else {
  rmSync(dataDir, { recursive: true, force: true })
}
