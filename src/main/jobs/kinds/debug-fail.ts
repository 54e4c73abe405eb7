import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { defineJob, type JobContext } from '../define-job'

export const failureModes = [
  'throw',
  'exit',
  'crash',
  'oom',
  'hang',
  'block',
  'uncaught',
  'unhandled',
  'stray',
  'stray-rejection',
  'orphan',
  'flood',
  'garbage',
  'noisy',
] as const
export type FailureMode = (typeof failureModes)[number]

/** A child that outlives nothing on its own: it runs until someone kills it. */
function spawnSleeper(ctx: JobContext): number {
  const child = ctx.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
  })
  ctx.log(`child pid ${child.pid}`)
  return child.pid ?? 0
}

/** Never settles, whatever the signal says. */
const forever = () => new Promise<never>(() => {})

function postRaw(message: unknown): void {
  const port = (process as { parentPort?: { postMessage(m: unknown): void } }).parentPort
  if (port) port.postMessage(message)
  else process.send?.(message)
}

/**
 * Stays in synchronous code for good, as a synchronous read from a drive that stopped answering would: the
 * worker can neither hear nor say anything, not even that the job started. It waits without using the processor.
 */
function blockForever(): never {
  const never = new Int32Array(new SharedArrayBuffer(4))
  for (;;) Atomics.wait(never, 0, 0)
}

function exhaustHeap(): never {
  const hoard: number[][] = []
  for (;;) hoard.push(new Array(1_000_000).fill(hoard.length))
}

/** One way a worker can go wrong, on demand, so each can be shown to be contained. */
export const debugFail = defineJob({
  kind: 'debug.fail',
  title: 'Fail (diagnostic)',
  description: 'Fails in a chosen way; for testing that failures are contained.',
  diagnostic: true,
  input: z.strictObject({
    mode: z.enum(failureModes),
    /** Start a tracked child first, to show it does not outlive the failure. */
    child: z.boolean().default(false),
    /** Write a file into the job's temp folder first, to show none is left behind. */
    tempFile: z.boolean().default(false),
    afterMs: z.number().int().min(0).max(600_000).default(0),
    message: z.string().max(1000).default('Failed on purpose'),
  }),
  async run({ mode, child, tempFile, afterMs, message }, ctx) {
    if (child || mode === 'orphan') spawnSleeper(ctx)
    if (tempFile) {
      writeFileSync(join(ctx.tmpDir, 'partial.bin'), 'half a result')
      ctx.log(`temp file ${join(ctx.tmpDir, 'partial.bin')}`)
    }
    ctx.progress({ fraction: 0, message: `about to ${mode}` })
    process.stderr.write(`debug.fail: about to ${mode}\n`)
    if (afterMs) await sleep(afterMs)
    switch (mode) {
      case 'throw':
        throw new Error(message)
      case 'exit':
        process.exit(0)
      // eslint-disable-next-line no-fallthrough
      case 'crash':
        process.kill(process.pid, 'SIGSEGV')
        return forever()
      case 'oom':
        return exhaustHeap()
      case 'block':
        return blockForever()
      case 'uncaught':
        // A callback of the job's throws while it waits: nothing can catch that error.
        setTimeout(() => {
          throw new Error(message)
        }, 10)
        return forever()
      case 'unhandled':
        setTimeout(() => void Promise.reject(new Error(message)), 10)
        return forever()
      case 'stray':
        // Succeeds, leaving behind a timer that throws once the job after it runs.
        setTimeout(() => {
          throw new Error(message)
        }, 200)
        return { leftBehind: 'a timer that throws' }
      case 'stray-rejection':
        setTimeout(() => void Promise.reject(new Error(message)), 200)
        return { leftBehind: 'a promise rejected that nothing handles' }
      case 'hang':
      case 'orphan':
        return forever()
      case 'flood':
        // Straight onto the channel, as a worker whose own code misbehaves would.
        for (let i = 1; i <= 100_000; i++)
          postRaw({ t: 'progress', jobId: ctx.jobId, progress: { done: i, total: 100_000 } })
        return forever()
      case 'garbage':
        postRaw({ t: 'progress', jobId: ctx.jobId, progress: { fraction: 'lots' } })
        return forever()
      case 'noisy': {
        const line = `${'x'.repeat(1023)}\n`
        for (let i = 0; i < 4096; i++) {
          process.stdout.write(line)
          process.stderr.write(line)
        }
        return { wroteBytes: 2 * 4096 * 1024 }
      }
    }
  },
})
