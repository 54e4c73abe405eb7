import type { Page } from 'playwright-core'

/** One task the page's main thread ran: how long it took, and how much of that the thread spent computing. */
export interface MainThreadTask {
  wallMs: number
  cpuMs: number
}

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string; data?: { message?: string } }
}

const taskNames = new Set(['ThreadControllerImpl::RunTask', 'RunTask'])

/**
 * Records every task of the page's main thread with Chromium's tracing, split into phases by `mark`. Each task
 * carries its CPU time beside its wall time: on a shared machine a task waits for a core as long as the
 * machine pleases, but the work the page asked of the thread is its own.
 */
export async function recordMainThreadTasks(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])))
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' })
  return {
    /** Starts a phase named `label` from now on. */
    mark: (label: string) => page.evaluate((name) => console.timeStamp(name), label),
    /** Stops recording; answers the tasks of each phase (before the first mark: `start`). */
    async stop(): Promise<Record<string, MainThreadTask[]>> {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
      await cdp.send('Tracing.end')
      await complete
      await cdp.detach()
      const marks = events.filter((event) => event.name === 'TimeStamp')
      const pid = marks[0]?.pid
      const main = events.find(
        (event) => event.pid === pid && event.name === 'thread_name' && event.args?.name === 'CrRendererMain',
      )
      if (!main) throw new Error('no main thread in the trace')
      const tasks = events
        .filter((event) => event.pid === main.pid && event.tid === main.tid && event.ph === 'X')
        .filter((event) => taskNames.has(event.name) && event.dur !== undefined)
        .sort((a, b) => a.ts - b.ts)
      const phases: Record<string, MainThreadTask[]> = { start: [] }
      let end = -1
      for (const task of tasks) {
        if (task.ts < end) continue // nested in the task before
        end = task.ts + task.dur!
        const phase = marks.filter((mark) => mark.ts <= task.ts).pop()?.args?.data?.message ?? 'start'
        ;(phases[phase] ??= []).push({ wallMs: task.dur! / 1000, cpuMs: (task.tdur ?? task.dur!) / 1000 })
      }
      return phases
    },
  }
}
