import { app, BrowserWindow, Notification, powerSaveBlocker } from 'electron'
import type { EventBatch } from '../../shared/events'
import { pushChannels } from '../../shared/ipc-channels'
import type { Spool } from '../jobs/types'
import { JobNotifier, type JobNotice } from '../../shared/job-notifier'
import { PowerSaveGuard } from './power-save'
import { QueueProgress, type TaskbarState } from './queue-progress'
import { sendWhenLoaded } from './windows'

function showTaskbar(state: TaskbarState): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.setProgressBar(state.fraction, { mode: state.mode })
  }
  app.setBadgeCount(state.badge)
}

function sameBar(a: TaskbarState | undefined, b: TaskbarState): boolean {
  // Whole percents only: the taskbar cannot show finer steps, and each call crosses into the OS.
  return (
    !!a && a.mode === b.mode && a.badge === b.badge && Math.round(a.fraction * 100) === Math.round(b.fraction * 100)
  )
}

export interface DesktopHooks {
  /** The window to show a clicked notification's job in (brought to the front, opened if none). */
  frontWindow(): BrowserWindow
  /** The queue has nothing running or waiting. */
  onIdle(): void
}

/** Notifications, taskbar/dock progress and the power-save blocker, all fed by the engine's event stream. */
export async function integrateDesktop(spool: Spool, hooks: DesktopHooks): Promise<() => void> {
  const notifier = new JobNotifier({
    show: (notice: JobNotice) => {
      if (!Notification.isSupported()) return
      const notification = new Notification({ title: notice.title, body: notice.body })
      notification.on('click', () => {
        const window = hooks.frontWindow()
        if (notice.jobId) sendWhenLoaded(window, pushChannels.selectJob, notice.jobId)
      })
      notification.show()
    },
  })
  const power = new PowerSaveGuard(powerSaveBlocker)
  // Subscribe before the snapshot so nothing is missed, then drop what the snapshot already reflects.
  const early: EventBatch[] = []
  let onBatch = (batch: EventBatch) => void early.push(batch)
  const unsubscribe = spool.subscribe((batch) => onBatch(batch))
  const snapshot = await spool.snapshot()
  const progress = new QueueProgress(snapshot)
  let shown: TaskbarState | undefined
  onBatch = (batch) => {
    progress.apply(batch)
    notifier.apply(batch, progress.running)
    power.update(progress.running)
    const state = progress.state()
    if (!sameBar(shown, state)) showTaskbar(state)
    shown = state
    if (state.badge === 0) hooks.onIdle()
  }
  for (const batch of early) if (batch.seq > snapshot.seq) onBatch(batch)
  power.update(progress.running)
  return () => {
    unsubscribe()
    notifier.flush()
    power.release()
  }
}
