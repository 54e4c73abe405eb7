import { vi } from 'vitest'
import type { EventBatch, EventListener } from '../../src/shared/events'
import type { Job, Snapshot } from '../../src/shared/job'
import { emptyCounts } from '../../src/shared/job'
import type { InvokeEvent, InvokeRegistry } from '../../src/main/ipc/guarded-handle'
import type { SenderFrame } from '../../src/main/ipc/sender-guard'
import type { PreloadIpc } from '../../src/preload/window-spool'
import type { Spool } from '../../src/main/jobs/types'

export const appFrame: SenderFrame = { url: 'app://spool/index.html', parent: null }

/** Frames that are not Spool's own top-level page: every IPC handler must refuse them before reading anything. */
export const foreignFrames: SenderFrame[] = [
  { url: 'https://evil.example/index.html', parent: null },
  { url: 'http://127.0.0.1:5173/', parent: null },
  { url: 'file:///home/user/index.html', parent: null },
  { url: 'app://other/index.html', parent: null },
  { url: 'app://spool.evil.example/index.html', parent: null },
  { url: 'data:text/html,<script>1</script>', parent: null },
  { url: 'about:blank', parent: null },
  { url: 'not a url', parent: null },
  { url: '', parent: null },
  { url: 'app://spool/frame.html', parent: appFrame },
  { url: 'https://evil.example/', parent: appFrame },
]

export function job(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'debug.sleep',
    label: `job ${id}`,
    state: 'queued',
    input: {},
    priority: 0,
    attempts: 0,
    maxAttempts: 1,
    progress: { fraction: null },
    createdAt: 0,
    ...overrides,
  }
}

export function snapshotAt(seq: number, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    seq,
    counts: emptyCounts(),
    queue: { paused: false, concurrency: 2, counts: emptyCounts(), finishedBeforeRun: 0 },
    active: [],
    recent: [],
    ...overrides,
  }
}

/** A `Spool` whose every method is a spy; `emit` plays the engine's event stream with rising `seq`. */
export function fakeSpool() {
  const listeners = new Set<EventListener>()
  let seq = 0
  const spool = {
    dataDir: '/data',
    submit: vi.fn(async (specs: unknown[]) => specs.map((_, i) => String(i + 1))),
    cancel: vi.fn(async () => 1),
    retry: vi.fn(async ({ ids }: { ids: string[] }) => ids),
    remove: vi.fn(async () => 1),
    get: vi.fn(async (id: string): Promise<Job | null> => job(id)),
    list: vi.fn(async () => ({ jobs: [] })),
    snapshot: vi.fn(async () => snapshotAt(seq)),
    pause: vi.fn(async () => ({ paused: true, concurrency: 2, counts: emptyCounts(), finishedBeforeRun: 0 })),
    resume: vi.fn(async () => ({ paused: false, concurrency: 2, counts: emptyCounts(), finishedBeforeRun: 0 })),
    setConcurrency: vi.fn(async (n: number) => ({
      paused: false,
      concurrency: n,
      counts: emptyCounts(),
      finishedBeforeRun: 0,
    })),
    kinds: vi.fn(async () => []),
    subscribe: vi.fn((listener: EventListener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }),
    wait: vi.fn(),
    grant: vi.fn(),
    close: vi.fn(async () => {}),
  }
  const emit = (events: EventBatch['events']): EventBatch => {
    const batch = { seq: ++seq, events }
    for (const listener of listeners) listener(batch)
    return batch
  }
  return { spool: spool as typeof spool & Spool, emit, listeners }
}

type Handler = (event: InvokeEvent, ...args: unknown[]) => unknown

/** `ipcMain` as a map of channel → handler; `invoke` plays a renderer frame calling it. */
export function fakeIpcMain() {
  const handlers = new Map<string, Handler>()
  const ipc: InvokeRegistry = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler: (channel) => void handlers.delete(channel),
  }
  const invoke = async (channel: string, frame: SenderFrame | null, param?: unknown) => {
    const handler = handlers.get(channel)
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    // Structured clone, as Electron does, so nothing passes by reference.
    return structuredClone(await handler({ senderFrame: frame }, structuredClone(param)))
  }
  return { ipc, handlers, invoke }
}

/** `ipcRenderer` wired to a fake `ipcMain` from a given frame; `push` plays `webContents.send`. */
export function fakeIpcRenderer(main: ReturnType<typeof fakeIpcMain>, frame: SenderFrame | null = appFrame) {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>()
  const ipc: PreloadIpc = {
    invoke: (channel, param) => main.invoke(channel, frame, param),
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)!.add(listener)
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  }
  const push = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: ipc }, structuredClone(payload))
  }
  return { ipc, push, listeners }
}
