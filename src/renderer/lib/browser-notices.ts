import type { EventBatch } from '../../shared/events'
import type { JobId } from '../../shared/job'
import { JobNotifier, type JobNotice } from '../../shared/job-notifier'

type BrowserWindow = Pick<Window, 'focus'> & {
  Notification?: typeof Notification
  document: Pick<Document, 'visibilityState'>
}

/**
 * The desktop app's notifications for the web dashboard: the end of a run and its failures, told by the
 * browser while the tab is in the background (in front, the header says as much), once the user allowed it.
 */
export class BrowserNotices {
  readonly #win: BrowserWindow
  readonly #notifier: JobNotifier
  #asked = false

  /** `open`: shows a clicked notification's job (its failure), the tab brought to the front. */
  constructor(win: BrowserWindow, open: (id: JobId) => void, options: { gatherMs?: number } = {}) {
    this.#win = win
    this.#notifier = new JobNotifier({ ...options, show: (notice) => this.#show(notice, open) })
  }

  /**
   * Asks the browser's leave to notify, once, when the user has just given Spool work (a browser asks only in
   * answer to a click); a refusal is the browser's to keep, not asked again.
   */
  ask(): void {
    const notification = this.#win.Notification
    if (this.#asked || notification?.permission !== 'default') return
    this.#asked = true
    void notification.requestPermission().catch(() => {})
  }

  /** `running`: how many jobs run once the batch is applied. */
  apply(batch: EventBatch, running: number): void {
    this.#notifier.apply(batch, running)
  }

  #show(notice: JobNotice, open: (id: JobId) => void): void {
    const Notice = this.#win.Notification
    if (Notice?.permission !== 'granted' || this.#win.document.visibilityState !== 'hidden') return
    const shown = new Notice(notice.title, { body: notice.body })
    shown.onclick = () => {
      this.#win.focus()
      if (notice.jobId) open(notice.jobId)
      shown.close()
    }
  }
}
