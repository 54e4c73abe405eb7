import { describe, expect, it } from 'vitest'
import type { EventBatch } from '../../src/shared/events'
import { registerCommandHandlers } from '../../src/main/ipc/command-handlers'
import { broadcastEvents, type EventSink } from '../../src/main/ipc/event-broadcaster'
import { createWindowSpool } from '../../src/preload/window-spool'
import { fakeIpcMain, fakeIpcRenderer, fakeSpool, job } from './fakes'

/** A window: its `webContents` (the sink main sends to) wired to its preload's `window.spool`. */
function fakeWindow(main: ReturnType<typeof fakeIpcMain>) {
  const renderer = fakeIpcRenderer(main)
  let destroyed = false
  const sends: EventBatch[] = []
  const contents: EventSink = {
    isDestroyed: () => destroyed,
    send: (channel, batch) => {
      if (destroyed) throw new Error('Object has been destroyed')
      sends.push(batch)
      renderer.push(channel, batch)
    },
  }
  const spool = createWindowSpool({ ipc: renderer.ipc, getPathForFile: () => '' })
  const seen: EventBatch[] = []
  spool.onEvents((batch) => seen.push(batch))
  return { contents, spool, seen, sends, destroy: () => (destroyed = true) }
}

function setup() {
  const engine = fakeSpool()
  const main = fakeIpcMain()
  registerCommandHandlers(main.ipc, engine.spool, { scheme: 'app', host: 'spool' })
  const windows: ReturnType<typeof fakeWindow>[] = []
  const stop = broadcastEvents(engine.spool, () => windows.map((w) => w.contents))
  return { ...engine, main, windows, stop }
}

describe('event broadcast to windows', () => {
  it('subscribes to the engine once, however many windows are open', () => {
    const { spool, windows, main } = setup()
    windows.push(fakeWindow(main), fakeWindow(main), fakeWindow(main))
    expect(spool.subscribe).toHaveBeenCalledTimes(1)
  })

  it('fans every batch out to three windows with contiguous seq', () => {
    const { emit, windows, main } = setup()
    windows.push(fakeWindow(main), fakeWindow(main), fakeWindow(main))
    for (let i = 1; i <= 5; i++) emit([{ type: 'added', id: String(i), job: job(String(i)) }])
    for (const window of windows) {
      expect(window.seen.map((batch) => batch.seq)).toEqual([1, 2, 3, 4, 5])
      expect(window.seen[0]?.events[0]).toMatchObject({ type: 'added', id: '1' })
    }
  })

  it('a cancel in one window reaches every other window in the same batch', async () => {
    const { spool, emit, windows, main } = setup()
    windows.push(fakeWindow(main), fakeWindow(main))
    spool.cancel.mockImplementation(async () => {
      emit([{ type: 'cancelled', id: '3', job: job('3', { state: 'cancelled' }) }])
      return 1
    })
    await windows[0]!.spool.cancel({ ids: ['3'] })
    expect(windows[1]!.seen).toEqual([{ seq: 1, events: [expect.objectContaining({ type: 'cancelled', id: '3' })] }])
  })

  it('skips a destroyed window and keeps serving the others', () => {
    const { emit, windows, main } = setup()
    windows.push(fakeWindow(main), fakeWindow(main), fakeWindow(main))
    emit([])
    windows[1]!.destroy()
    expect(() => emit([{ type: 'removed', id: '1' }])).not.toThrow()
    expect(windows[0]!.seen.map((b) => b.seq)).toEqual([1, 2])
    expect(windows[1]!.seen.map((b) => b.seq)).toEqual([1])
    expect(windows[2]!.seen.map((b) => b.seq)).toEqual([1, 2])
  })

  it('a window opened later catches up from a snapshot and continues from its seq', async () => {
    const { emit, windows, main } = setup()
    windows.push(fakeWindow(main))
    emit([{ type: 'added', id: '1', job: job('1') }])
    emit([{ type: 'started', id: '1', job: job('1', { state: 'running' }) }])
    const late = fakeWindow(main)
    windows.push(late)
    const snapshot = await late.spool.snapshot()
    expect(snapshot.seq).toBe(2)
    emit([{ type: 'progress', id: '1', progress: { fraction: 0.5 } }])
    const after = late.seen.filter((batch) => batch.seq > snapshot.seq)
    expect(after.map((b) => b.seq)).toEqual([3])
  })

  it('stops forwarding after unsubscribe, and the window never sees the IPC event object', () => {
    const { emit, windows, main, stop, listeners } = setup()
    const window = fakeWindow(main)
    windows.push(window)
    const received: unknown[][] = []
    window.spool.onEvents((...args: unknown[]) => received.push(args))
    emit([])
    expect(received).toEqual([[{ seq: 1, events: [] }]])
    stop()
    expect(listeners.size).toBe(0)
  })
})
