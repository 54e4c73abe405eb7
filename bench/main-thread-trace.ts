import type { Page } from 'playwright-core'

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string }
}

/** A task the page's main thread ran: its wall time, and the CPU time the thread spent on it. */
export interface MainThreadTask {
  wallMs: number
  cpuMs: number
}

/**
 * Records the tasks of the page's main thread with Chromium's tracing while `work` runs. A task's CPU time
 * tells what the page asked of the thread; its wall time adds whatever else the machine made it wait for.
 */
export async function mainThreadTasks(page: Page, work: () => Promise<void>): Promise<MainThreadTask[]> {
  const cdp = await page.context().newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])))
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' })
  await work()
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
  await cdp.send('Tracing.end')
  await complete
  await cdp.detach()
  const mains = events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
  const tasks = events
    .filter((event) => mains.some((main) => main.pid === event.pid && main.tid === event.tid))
    .filter((event) => event.ph === 'X' && event.dur !== undefined)
    .filter((event) => event.name === 'ThreadControllerImpl::RunTask' || event.name === 'RunTask')
    .sort((a, b) => a.ts - b.ts)
  const outermost: MainThreadTask[] = []
  let end = -1
  for (const task of tasks) {
    if (task.ts < end) continue
    end = task.ts + task.dur!
    outermost.push({ wallMs: task.dur! / 1000, cpuMs: (task.tdur ?? task.dur!) / 1000 })
  }
  return outermost
}
