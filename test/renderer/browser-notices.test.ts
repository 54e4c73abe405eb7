import { afterEach, describe, expect, it, vi } from 'vitest'
import { BrowserNotices } from '../../src/renderer/lib/browser-notices'
import type { EventBatch } from '../../src/shared/events'
import { job } from './fake-api'

/** A browser window whose notifications are recorded; `permission` as the user left it. */
function fakeWindow(permission: NotificationPermission, visibilityState: DocumentVisibilityState) {
  const shown: { title: string; body?: string; onclick: (() => void) | null; close: () => void }[] = []
  const requestPermission = vi.fn(async () => permission)
  class FakeNotification {
    static permission = permission
    static requestPermission = requestPermission
    onclick: (() => void) | null = null
    close = vi.fn()
    constructor(
      readonly title: string,
      options: { body?: string },
    ) {
      shown.push(Object.assign(this, { body: options.body }))
    }
  }
  const win = {
    Notification: FakeNotification as unknown as typeof Notification,
    document: { visibilityState },
    focus: vi.fn(),
  }
  return { win, shown, requestPermission }
}

const failed = { ...job(2, 'failed'), error: { code: 'HANDLER_ERROR' as const, message: 'Not an image' } }
const runEnds: EventBatch = {
  seq: 1,
  events: [
    { type: 'succeeded', id: '1', job: job(1, 'succeeded') },
    { type: 'failed', id: '2', job: failed, willRetry: false },
  ],
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the web dashboard’s notifications', () => {
  it('tell the end of a run while the tab is hidden, and a click shows the failure in the tab', async () => {
    vi.useFakeTimers()
    const { win, shown } = fakeWindow('granted', 'hidden')
    const opened: string[] = []
    const notices = new BrowserNotices(win, (id) => opened.push(id), { gatherMs: 10 })
    notices.apply(runEnds, 0)
    await vi.advanceTimersByTimeAsync(20)
    expect(shown.map(({ title, body }) => [title, body])).toEqual([
      ['Jobs finished with failures', '1 finished, 1 failed'],
    ])
    shown[0]!.onclick!()
    expect(win.focus).toHaveBeenCalled()
    expect(opened).toEqual(['2'])
    expect(shown[0]!.close).toHaveBeenCalled()
  })

  it('say nothing while the tab is in front, or without the user’s leave', async () => {
    vi.useFakeTimers()
    for (const [permission, visibility] of [
      ['granted', 'visible'],
      ['denied', 'hidden'],
      ['default', 'hidden'],
    ] as const) {
      const { win, shown } = fakeWindow(permission, visibility)
      new BrowserNotices(win, () => {}, { gatherMs: 10 }).apply(runEnds, 0)
      await vi.advanceTimersByTimeAsync(20)
      expect(shown, `${permission}, ${visibility}`).toEqual([])
    }
  })

  it('ask the browser’s leave once, and never again once the user has answered', () => {
    const undecided = fakeWindow('default', 'visible')
    const notices = new BrowserNotices(undecided.win, () => {})
    notices.ask()
    notices.ask()
    expect(undecided.requestPermission).toHaveBeenCalledTimes(1)
    for (const answered of ['granted', 'denied'] as const) {
      const { win, requestPermission } = fakeWindow(answered, 'visible')
      new BrowserNotices(win, () => {}).ask()
      expect(requestPermission).not.toHaveBeenCalled()
    }
  })

  it('turned off, say nothing and ask nothing, in this page and the next', async () => {
    vi.useFakeTimers()
    const storage = new Map<string, string>()
    const localStorage = { getItem: (key: string) => storage.get(key) ?? null, setItem: storage.set.bind(storage) }
    const granted = fakeWindow('granted', 'hidden')
    const notices = new BrowserNotices({ ...granted.win, localStorage }, () => {}, { gatherMs: 10 })
    expect(notices.state()).toBe('on')
    expect(await notices.turn(false)).toBe('off')
    notices.apply(runEnds, 0)
    await vi.advanceTimersByTimeAsync(20)
    expect(granted.shown).toEqual([])

    const undecided = fakeWindow('default', 'hidden')
    const next = new BrowserNotices({ ...undecided.win, localStorage }, () => {})
    expect(next.state()).toBe('off')
    next.ask()
    expect(undecided.requestPermission).not.toHaveBeenCalled()

    // Turned on again, they are told once more; the browser's leave, never given, is asked at once.
    expect(await next.turn(true)).toBe('on')
    expect(undecided.requestPermission).toHaveBeenCalledTimes(1)
    expect(await notices.turn(true)).toBe('on')
    notices.apply(runEnds, 0)
    await vi.advanceTimersByTimeAsync(20)
    expect(granted.shown).toHaveLength(1)
  })

  it('are blocked once the browser refuses, whatever the switch, and say so to whoever listens', async () => {
    const { win } = fakeWindow('default', 'hidden')
    const Notice = win.Notification as unknown as { permission: NotificationPermission; requestPermission: unknown }
    Notice.requestPermission = async () => (Notice.permission = 'denied')
    const notices = new BrowserNotices(win, () => {})
    const heard: string[] = []
    notices.onChange((state) => heard.push(state))
    notices.ask()
    await vi.waitFor(() => expect(heard).toEqual(['blocked']))
    expect(await notices.turn(true)).toBe('blocked')
    expect(await notices.turn(false)).toBe('off')
  })

  it('keep the choice in the page when the browser keeps no storage', async () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
    }
    const notices = new BrowserNotices({ ...fakeWindow('granted', 'hidden').win, localStorage: refusing }, () => {})
    expect(await notices.turn(false)).toBe('off')
    expect(await notices.turn(true)).toBe('on')
  })

  it('are unsupported in a browser without them', () => {
    const { win } = fakeWindow('granted', 'hidden')
    expect(new BrowserNotices({ ...win, Notification: undefined }, () => {}).state()).toBe('unsupported')
  })
})
