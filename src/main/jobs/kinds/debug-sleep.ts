import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { defineJob } from '../define-job'

/** Sleeps in `steps` slices, reporting progress after each and stopping as soon as it is cancelled. */
export const debugSleep = defineJob({
  kind: 'debug.sleep',
  title: 'Sleep (diagnostic)',
  description: 'Waits, reporting progress; for trying out the queue.',
  diagnostic: true,
  input: z.strictObject({
    ms: z.number().int().min(0).max(86_400_000),
    steps: z.number().int().min(1).max(100_000).default(1),
    result: z.unknown().optional(),
  }),
  async run({ ms, steps, result }, { signal, progress }) {
    for (let step = 1; step <= steps; step++) {
      if (ms > 0) await sleep(ms / steps, undefined, { signal })
      else signal.throwIfAborted()
      progress({ done: step, total: steps, unit: 'steps' })
    }
    return result ?? { sleptMs: ms }
  },
})
