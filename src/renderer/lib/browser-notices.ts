import type { EventBatch } from '../../shared/events'
import type { JobId } from '../../shared/job'
import { JobNotifier, type JobNotice } from '../../shared/job-notifier'

type BrowserWindow = Pick<Window, 'focus'> & {
  Notification?: typeof Notification
  document: Pick<Document, 'visibilityState'>
  localStorage?: Pick<Storage, 'getItem' | 'setItem'>
}

/**
 * Whether the dashboard notifies: `on`, `off` (the user turned them off here), `blocked` (the browser refuses
 * them: only its site settings can change that), `unsupported` (no notifications in this browser).
 */
export type NoticeState = 'on' | 'off' | 'blocked' | 'unsupported'

/** The user's switch for the dashboard's notifications. */
export interface NoticeSwitch {
  state(): NoticeState
  /** Turns them on (asking the browser's leave if it was never given) or off; answers the state after. */
  turn(on: boolean): Promise<NoticeState>
  /** Calls `listener` with the state whenever the browser's leave was asked and answered; answers the unsubscribe. */
  onChange(listener: (state: NoticeState) => void): () => void
}

/** Where the user's choice is kept in the browser, for every tab of this host. */
const storageKey = 'spool.notifications'

/**
 * The desktop app's notifications for the web dashboard: the end of a run and its failures, told by the
 * browser while the tab is in the background (in front, the header says as much), once the user allowed it.
 */
export class BrowserNotices implements NoticeSwitch {
  readonly #win: BrowserWindow
  readonly #notifier: JobNotifier
  #asked = false
  readonly #listeners = new Set<(state: NoticeState) => void>()
  /** The choice when the browser keeps nothing (storage refused, as some private modes do). */
  #off = false

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
    if (this.#asked || notification?.permission !== 'default' || this.#turnedOff()) return
    this.#asked = true
    void this.#request(notification)
  }

  state(): NoticeState {
    const permission = this.#win.Notification?.permission
    if (!permission) return 'unsupported'
    if (this.#turnedOff()) return 'off'
    return permission === 'denied' ? 'blocked' : 'on'
  }

  async turn(on: boolean): Promise<NoticeState> {
    this.#off = !on
    try {
      this.#win.localStorage?.setItem(storageKey, on ? 'on' : 'off')
    } catch {
      // Kept for this page only.
    }
    const notification = this.#win.Notification
    // The user asked for them: a refusal given before is the browser's to keep, an open question is asked now.
    if (on && notification?.permission === 'default') await this.#request(notification)
    return this.state()
  }

  onChange(listener: (state: NoticeState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** `running`: how many jobs run once the batch is applied. */
  apply(batch: EventBatch, running: number): void {
    this.#notifier.apply(batch, running)
  }

  #show(notice: JobNotice, open: (id: JobId) => void): void {
    const Notice = this.#win.Notification
    if (Notice?.permission !== 'granted' || this.#win.document.visibilityState !== 'hidden' || this.#turnedOff()) return
    const shown = new Notice(notice.title, { body: notice.body })
    shown.onclick = () => {
      this.#win.focus()
      if (notice.jobId) open(notice.jobId)
      shown.close()
    }
  }

  async #request(notification: typeof Notification): Promise<void> {
    await notification.requestPermission().catch(() => {})
    for (const listener of this.#listeners) listener(this.state())
  }

  #turnedOff(): boolean {
    try {
      const kept = this.#win.localStorage?.getItem(storageKey)
      if (kept) return kept === 'off'
    } catch {
      // As chosen in this page.
    }
    return this.#off
  }
}
