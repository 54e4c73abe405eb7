import type { Page } from 'playwright-core'
import { recordMainThreadTasks, type MainThreadTask } from '../test/e2e/support/main-thread-tasks'

export type { MainThreadTask }

/** The tasks the page's main thread ran while `work` ran, each with its wall and CPU time (from a trace). */
export async function mainThreadTasks(page: Page, work: () => Promise<void>): Promise<MainThreadTask[]> {
  const recording = await recordMainThreadTasks(page)
  await recording.mark('work')
  await work()
  return (await recording.stop()).work ?? []
}
