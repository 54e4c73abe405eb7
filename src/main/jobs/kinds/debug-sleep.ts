import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { defineJob } from '../define-job'

/**
 * Sleeps `ms` in `steps` slices, reporting progress after each and stopping as soon as it is cancelled.
 * Slices shorter than the timer's resolution are reported in bursts, so high rates of progress are real.
 */
export const debugSleep = defineJob({
  kind: 'debug.sleep',
  title: 'Sleep (diagnostic)',
  description: 'Waits, reporting progress; for trying out the queue.',
  diagnostic: true,
  input: z.strictObject({
    ms: z.number().int().min(0).max(86_400_000),
    steps: z.number().int().min(1).max(10_000_000).default(1),
    result: z.unknown().optional(),
  }),
  async run({ ms, steps, result }, { signal, progress }) {
    const started = Date.now()
    let step = 0
    while (step < steps) {
      const wait = started + ((step + 1) * ms) / steps - Date.now()
      if (wait > 0) await sleep(wait, undefined, { signal })
      else signal.throwIfAborted()
      const due = ms === 0 ? step + 1 : Math.floor(((Date.now() - started) * steps) / ms)
      const until = Math.min(steps, Math.max(due, step + 1))
      while (step < until) progress({ done: ++step, total: steps, unit: 'steps' })
    }
    return result ?? { sleptMs: ms }
  },
})
