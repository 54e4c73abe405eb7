import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { defineJob, type AnyJobKind } from '../src/main/jobs/define-job'
import { writeGarbage } from './binary-garbage'

/** Wall-clock time in ms with sub-millisecond resolution, comparable between processes on one machine. */
export const wallClock = (): number => performance.timeOrigin + performance.now()

/** Reports progress every `everyMs`, each report carrying the time it was sent, so its arrival can be timed. */
export const progressStamps = defineJob({
  kind: 'bench.progress-stamps',
  title: 'Timed progress (benchmark)',
  diagnostic: true,
  input: z.strictObject({ reports: z.number().int().min(1), everyMs: z.number().min(1) }),
  async run({ reports, everyMs }, { signal, progress }) {
    for (let done = 1; done <= reports; done++) {
      await sleep(everyMs, undefined, { signal })
      progress({ done, total: reports, message: String(wallClock()) })
    }
    return null
  },
})

/**
 * A job that ignores its signal and leaves a process tree behind it: a tracked shell that ignores SIGTERM,
 * with two children of its own that inherit that. Only the kill after the cancel grace period stops it.
 */
export const stubborn = defineJob({
  kind: 'bench.stubborn',
  title: 'Ignores cancel (benchmark)',
  diagnostic: true,
  input: z.strictObject({}),
  async run(_input, ctx) {
    const shell = ctx.spawn('sh', ['-c', 'trap "" TERM; sleep 600 & sleep 600 & wait'], { stdio: 'ignore' })
    ctx.log(`pids ${process.pid} ${shell.pid}`)
    return new Promise<never>(() => {})
  },
})

/** Floods stderr with `mb` MiB of bytes that are not text, then succeeds. */
export const stderrFlood = defineJob({
  kind: 'bench.stderr-flood',
  title: 'Floods stderr (benchmark)',
  diagnostic: true,
  input: z.strictObject({ mb: z.number().int().min(1) }),
  async run({ mb }) {
    await writeGarbage(process.stderr, mb)
    return null
  },
})

/** Does nothing and returns: the work of the bare baseline's children, framework and all. */
export const noop = defineJob({
  kind: 'bench.noop',
  title: 'Does nothing (benchmark)',
  diagnostic: true,
  input: z.strictObject({}),
  run: async () => null,
})

export const benchKinds: AnyJobKind[] = [progressStamps, stubborn, stderrFlood, noop]
