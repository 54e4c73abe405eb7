import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import PQueue from 'p-queue'
import { Piscina } from 'piscina'
import { benchSpoolOptions } from './bench-spool'
import { benchEngine } from './worker-build'

const child = fileURLToPath(new URL('./bare-fork-child.ts', import.meta.url))
const piscinaTask = new URL('./piscina-task.ts', import.meta.url).href

/** p-queue driving bare forked children, `inFlight` messages outstanding per child, nothing persisted. */
export async function bareFork(jobs: number, workers: number, inFlight: number): Promise<number> {
  const children = await Promise.all(
    Array.from({ length: workers }, async () => {
      const proc = fork(child, [], { execArgv: ['--import', 'tsx'], serialization: 'json' })
      // Started and listening before the clock starts, as Spool's workers are warmed first.
      await new Promise((resolve) => proc.once('message', resolve))
      return proc
    }),
  )
  const pending = new Map<number, () => void>()
  for (const proc of children) proc.on('message', (m: { id: number }) => pending.get(m.id)?.())
  const queue = new PQueue({ concurrency: workers * inFlight })
  let next = 0
  const started = performance.now()
  for (let i = 0; i < jobs; i++) {
    void queue.add(
      () =>
        new Promise<void>((resolve) => {
          const id = next++
          pending.set(id, () => {
            pending.delete(id)
            resolve()
          })
          ;(children[id % workers] as ChildProcess).send({ id, input: { ms: 0 } })
        }),
    )
  }
  await queue.onIdle()
  const elapsed = performance.now() - started
  for (const proc of children) proc.kill()
  return (jobs * 1000) / elapsed
}

/** Piscina's worker threads answering each task at once, its own queue holding the rest, nothing persisted. */
export async function piscinaNoop(jobs: number, threads: number): Promise<number> {
  const pool = new Piscina({ filename: piscinaTask, minThreads: threads, maxThreads: threads })
  try {
    // Warm the threads, as the other contenders' processes are started before the clock starts.
    await Promise.all(Array.from({ length: threads * 4 }, (_, id) => pool.run({ id })))
    const started = performance.now()
    await Promise.all(Array.from({ length: jobs }, (_, id) => pool.run({ id })))
    return (jobs * 1000) / (performance.now() - started)
  } finally {
    await pool.destroy()
  }
}

/** A job that does nothing and returns, as the baseline's children do. */
export const noopJob = { kind: 'bench.noop', input: {} }
/** A job that reports one step of progress and returns: a third message per job on its way to the host. */
export const oneStepJob = { kind: 'debug.sleep', input: { ms: 0 } }

/**
 * Spool, persisting every job in SQLite, running `jobs` copies of `spec` (by default no-op jobs) through
 * `workers` worker processes: its engine as the desktop app runs it, built (the bundle `npm run bench` makes
 * first).
 */
export async function spoolNoop(
  jobs: number,
  workers: number,
  spec: { kind: string; input: unknown } = noopJob,
): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-'))
  const { openSpool } = await benchEngine()
  const spool = await openSpool(benchSpoolOptions(dataDir, { concurrency: workers }))
  try {
    // Warm the workers so process start-up is not measured, as the baseline's children are started first.
    await Promise.all(
      (await spool.submit(Array.from({ length: workers * 4 }, () => ({ ...spec })))).map((id) => spool.wait(id)),
    )
    const started = performance.now()
    let ids: string[] = []
    for (let offset = 0; offset < jobs; offset += 10_000) {
      ids = await spool.submit(Array.from({ length: Math.min(10_000, jobs - offset) }, () => ({ ...spec })))
    }
    await spool.wait(ids[ids.length - 1]!)
    await new Promise<void>((resolve) => {
      const check = async () =>
        (await spool.snapshot()).counts.queued + (await spool.snapshot()).counts.running === 0
          ? resolve()
          : setTimeout(check, 5)
      void check()
    })
    return (jobs * 1000) / (performance.now() - started)
  } finally {
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
