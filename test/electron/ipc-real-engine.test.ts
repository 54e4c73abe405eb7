import { describe, expect, it } from 'vitest'
import type { EventBatch, JobEvent } from '../../src/shared/events'
import type { Job } from '../../src/shared/job'
import { registerCommandHandlers } from '../../src/main/ipc/command-handlers'
import { broadcastEvents, type EventSink } from '../../src/main/ipc/event-broadcaster'
import { createWindowSpool, type ExposedSpool } from '../../src/preload/window-spool'
import { eventually as until, useSpool } from '../support/test-spool'
import { fakeIpcMain, fakeIpcRenderer } from './fakes'

/** Retries an assertion until it holds. */
const eventually = (assertion: () => unknown) =>
  until(async () => {
    await assertion()
    return true
  })

/** Two windows on a real engine: real worker processes and SQLite, with only Electron's IPC faked. */
async function twoWindows(open: ReturnType<typeof useSpool>) {
  const { spool } = await open()
  const main = fakeIpcMain()
  registerCommandHandlers(main.ipc, spool, { scheme: 'app', host: 'spool' })
  const addWindow = () => {
    const renderer = fakeIpcRenderer(main)
    const batches: EventBatch[] = []
    const api: ExposedSpool = createWindowSpool({ ipc: renderer.ipc, getPathForFile: () => '' })
    api.onEvents((batch) => batches.push(batch))
    const sink: EventSink = { isDestroyed: () => false, send: (channel, batch) => renderer.push(channel, batch) }
    const window = { api, batches, sink }
    windows.push(window)
    return window
  }
  const windows: { api: ExposedSpool; batches: EventBatch[]; sink: EventSink }[] = []
  addWindow()
  addWindow()
  broadcastEvents(spool, () => windows.map((window) => window.sink))
  const events = (index: number, type: JobEvent['type']) =>
    windows[index]!.batches.flatMap((batch) => batch.events).filter((event) => event.type === type)
  return { windows, events, addWindow }
}

describe('window.spool over IPC on the real engine', () => {
  const open = useSpool()

  it('a job submitted in one window runs, and both windows see its progress and its end', async () => {
    const { windows, events } = await twoWindows(open)
    const [id] = await windows[0]!.api.submit([{ kind: 'debug.sleep', input: { ms: 300, steps: 5 }, label: 'ipc' }])
    await eventually(() =>
      expect(events(1, 'succeeded').map((event) => ('id' in event ? event.id : null))).toEqual([id]),
    )
    expect(events(1, 'progress').length).toBeGreaterThan(0)
    expect(((await windows[1]!.api.get(id!)) as Job).state).toBe('succeeded')
    for (const window of windows) {
      const seqs = window.batches.map((batch) => batch.seq)
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i))
    }
  })

  it('a cancel from the second window stops a job the first submitted', async () => {
    const { windows, events } = await twoWindows(open)
    const [id] = await windows[0]!.api.submit([{ kind: 'debug.sleep', input: { ms: 30_000, steps: 300 } }])
    await eventually(() => expect(events(0, 'started')).toHaveLength(1))
    expect(await windows[1]!.api.cancel({ ids: [id!] })).toBe(1)
    await eventually(() =>
      expect(events(0, 'cancelled').map((event) => ('id' in event ? event.id : null))).toEqual([id]),
    )
  })

  it('a window opened while a job runs catches up from a snapshot and continues from its seq', async () => {
    const { windows, events, addWindow } = await twoWindows(open)
    const [id] = await windows[0]!.api.submit([{ kind: 'debug.sleep', input: { ms: 600, steps: 6 } }])
    await eventually(() => expect(events(0, 'progress').length).toBeGreaterThan(0))
    const late = addWindow()
    const snapshot = await late.api.snapshot()
    expect(snapshot.active.map((job) => job.id)).toContain(id)
    await eventually(() => expect(events(0, 'succeeded')).toHaveLength(1))
    const after = late.batches.filter((batch) => batch.seq > snapshot.seq)
    expect(after.map((batch) => batch.seq)).toEqual(after.map((_, i) => snapshot.seq + 1 + i))
    expect(after.flatMap((batch) => batch.events).some((event) => event.type === 'succeeded')).toBe(true)
  })

  it('the engine rejects what the contract allows but the engine does not know, as a typed error', async () => {
    const { windows } = await twoWindows(open)
    await expect(windows[0]!.api.submit([{ kind: 'no.such.kind', input: {} }])).rejects.toMatchObject({
      code: 'UNKNOWN_KIND',
    })
  })
})
