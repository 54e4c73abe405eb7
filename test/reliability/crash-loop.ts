// The crash loop shared by the short test (npm test) and the full run (npm run test:chaos): a Spool host
// process is SIGKILLed at random moments and reopened, then a clean run finishes the queue, and every job
// is checked. Violations are collected, not thrown, so the chaos script can print all of them at once.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { openSpool } from '../../src/main/jobs'
import type { JobSpec } from '../../src/shared/job'
import { descendants, isAlive, loggedChildPids } from '../support/processes'
import { checkRows, describeProcess, isJobChild, readRows } from './crash-loop-checks'

const hostScript = fileURLToPath(new URL('../support/host-process.ts', import.meta.url))
/** The host's concurrency (test/support/host-process.ts): at most this many jobs are caught by one kill. */
const hostConcurrency = 2

export interface CrashLoopOptions {
  dataDir: string
  jobs: number
  kills: number
  /** Seeds the job mix and the kill moments, so a failing run can be replayed. */
  seed: number
  /** The longest wait, after the host's first job starts, before it is killed. */
  maxKillDelayMs?: number
  onProgress?: (line: string) => void
}

export interface CrashLoopReport {
  seed: number
  killsSurvived: number
  killedBeforeReady: number
  jobsChecked: number
  /** Jobs a kill caught mid-run, summed over jobs (their `interruptions`). */
  interruptions: number
  rerun: number
  finalStates: Record<string, number>
  orphansChecked: number
  durationMs: number
  violations: string[]
}

/** Mulberry32: small, seedable, good enough to pick delays and a job mix. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mostly short sleeps; one in twenty holds a tracked child for a while and then throws. */
function jobMix(count: number, next: () => number): JobSpec[] {
  return Array.from({ length: count }, (_, index) =>
    index % 20 === 7
      ? { kind: 'debug.fail', input: { mode: 'throw', child: true, afterMs: 200 + Math.floor(next() * 300) } }
      : { kind: 'debug.sleep', input: { ms: 5 + Math.floor(next() * 45), steps: 3 } },
  )
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return true
}

interface HostRun {
  ready: boolean
  tree: number[]
  stderrTail: string
}

/** Starts a host on `dataDir`, kills it `delayMs` after its first job starts (after spawn if `early`). */
async function runAndKill(
  dataDir: string,
  delayMs: number,
  early: boolean,
  succeeded: Map<string, number>,
): Promise<HostRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', hostScript, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderrTail = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-2000)))
  let ready = false
  let started = false
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as { ready?: number; event?: string; id?: string }
    if (line.ready !== undefined) ready = true
    if (line.event === 'started') started = true
    if (line.event === 'succeeded' && line.id) succeeded.set(line.id, (succeeded.get(line.id) ?? 0) + 1)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let gone = false
  void exited.then(() => (gone = true))
  // Workers take a moment to boot; counting from the first start puts most kills among running jobs.
  if (!early) await waitFor(() => started || gone, 60_000)
  await new Promise((resolve) => setTimeout(resolve, delayMs))
  const tree = descendants(child.pid!)
  child.kill('SIGKILL')
  await exited
  return { ready, tree, stderrTail }
}

export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopReport> {
  const began = Date.now()
  const next = random(options.seed)
  const say = options.onProgress ?? (() => {})
  const violations: string[] = []
  const succeededEvents = new Map<string, number>()

  const submitting = await openSpool({ dataDir: options.dataDir, diagnostics: true, startPaused: true })
  const ids: string[] = []
  const specs = jobMix(options.jobs, next)
  for (let at = 0; at < specs.length; at += 1000) ids.push(...(await submitting.submit(specs.slice(at, at + 1000))))
  await submitting.close()

  let killsSurvived = 0
  let killedBeforeReady = 0
  let orphansChecked = 0
  for (let kill = 1; kill <= options.kills; kill++) {
    const early = next() < 0.2
    const delayMs = Math.floor(next() * (early ? 1500 : (options.maxKillDelayMs ?? 1500)))
    const run = await runAndKill(options.dataDir, delayMs, early, succeededEvents)
    if (!run.ready) killedBeforeReady++
    orphansChecked += run.tree.length
    if (!(await waitFor(() => run.tree.every((pid) => !isAlive(pid)), 15_000))) {
      const alive = run.tree.filter((pid) => isAlive(pid))
      violations.push(`kill ${kill}: processes outlived their host: ${alive.join(', ')}`)
      for (const pid of alive) process.kill(pid, 'SIGKILL')
    }
    const { integrity, rows } = readRows(options.dataDir)
    if (integrity !== 'ok') violations.push(`kill ${kill}: integrity_check says ${integrity}`)
    const running = rows.filter((row) => row.state === 'running').length
    if (running > hostConcurrency) violations.push(`kill ${kill}: ${running} jobs running with concurrency 2`)
    killsSurvived++
    const done = rows.filter((row) => ['succeeded', 'failed', 'cancelled'].includes(row.state)).length
    say(
      `kill ${kill}/${options.kills} after ${delayMs} ms${run.ready ? '' : ' (before ready)'}: ` +
        `${run.tree.length} processes, ${running} jobs left running, ${done}/${ids.length} finished`,
    )
  }

  // A last clean run finishes whatever is left.
  const spool = await openSpool({ dataDir: options.dataDir, diagnostics: true, concurrency: hostConcurrency })
  spool.subscribe((batch) => {
    for (const event of batch.events) {
      if (event.type === 'succeeded') succeededEvents.set(event.id, (succeededEvents.get(event.id) ?? 0) + 1)
    }
  })
  for (const id of ids) await spool.wait(id)
  await spool.close()

  const { integrity, rows } = readRows(options.dataDir)
  if (integrity !== 'ok') violations.push(`final integrity_check says ${integrity}`)
  const checked = checkRows(ids, rows, succeededEvents, options.kills, hostConcurrency)
  violations.push(...checked.violations)
  const childPids = rows.flatMap((row) => loggedChildPids(row.log ? (JSON.parse(row.log) as string[]) : []))
  // A job's child is killed when its job ends, which may be a moment after the job is recorded.
  if (!(await waitFor(() => !childPids.some(isJobChild), 10_000))) {
    const left = childPids.filter(isJobChild).map((pid) => `${pid} (${describeProcess(pid)})`)
    violations.push(`job children still alive 10 s after the end: ${left.join(', ')}`)
  }

  const finalStates: Record<string, number> = {}
  for (const row of rows) {
    const key = row.error ? `${row.state} ${(JSON.parse(row.error) as { code: string }).code}` : row.state
    finalStates[key] = (finalStates[key] ?? 0) + 1
  }
  return {
    seed: options.seed,
    killsSurvived,
    killedBeforeReady,
    jobsChecked: rows.length,
    interruptions: rows.reduce((sum, row) => sum + row.interruptions, 0),
    rerun: rows.filter((row) => row.attempts > 1).length,
    finalStates,
    orphansChecked: orphansChecked + childPids.length,
    durationMs: Date.now() - began,
    violations,
  }
}
