import { beforeEach, describe, expect, it, vi } from 'vitest'
import { commandNames } from '../../src/shared/commands'
import { commandChannel, desktopChannel, desktopMethods, pushChannels } from '../../src/shared/ipc-channels'

const exposed = new Map<string, unknown>()
const ipcRenderer = {
  invoke: vi.fn(async () => ({ ok: true, value: 'answer' })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
}
const webUtils = { getPathForFile: vi.fn(() => '/home/user/a.wav') }

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer,
  webUtils,
}))

beforeEach(async () => {
  exposed.clear()
  vi.clearAllMocks()
  vi.resetModules()
  await import('../../src/preload/index')
})

function api(): Record<string, unknown> {
  return exposed.get('spool') as Record<string, unknown>
}

/** Walks everything reachable from a value, as the context bridge would copy it. */
function reachable(value: unknown, seen = new Set<unknown>()): unknown[] {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return []
  seen.add(value)
  return [value, ...Object.values(value).flatMap((inner) => reachable(inner, seen))]
}

describe('preload', () => {
  it('exposes exactly window.spool and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['spool'])
  })

  it('exposes exactly the contract: the commands, onEvents, the desktop helpers and the desktop events', () => {
    const expected = [...commandNames, 'onEvents', ...desktopMethods, 'onSelectJob', 'onFilesOpened']
    expect(Object.keys(api()).sort()).toEqual(expected.sort())
    for (const value of Object.values(api())) expect(typeof value).toBe('function')
  })

  it('leaks nothing of ipcRenderer, not even through a listener argument', async () => {
    for (const value of reachable(api())) {
      expect(value).not.toBe(ipcRenderer)
      expect(value).not.toBe(ipcRenderer.send)
      expect(value).not.toBe(ipcRenderer.invoke)
    }
    const listener = vi.fn()
    const unsubscribe = (api().onEvents as (l: unknown) => () => void)(listener)
    const [[channel, forward]] = ipcRenderer.on.mock.calls as unknown as [[string, (...args: unknown[]) => void]]
    expect(channel).toBe(pushChannels.events)
    forward({ sender: ipcRenderer }, { seq: 1, events: [] })
    expect(listener).toHaveBeenCalledWith({ seq: 1, events: [] })
    expect(listener.mock.calls[0]).toHaveLength(1)
    unsubscribe()
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith(pushChannels.events, forward)
  })

  it('sends each command on its own channel and unwraps the result envelope', async () => {
    await expect((api().snapshot as () => Promise<unknown>)()).resolves.toBe('answer')
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(commandChannel('snapshot'), undefined)
    await (api().openOutput as (id: string) => Promise<unknown>)('4')
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(desktopChannel('openOutput'), '4')
  })

  it('resolves dropped files with webUtils.getPathForFile in the preload', async () => {
    const file = new File(['x'], 'a.wav')
    await (api().grantDroppedFiles as (f: File[]) => Promise<unknown>)([file])
    expect(webUtils.getPathForFile).toHaveBeenCalledWith(file)
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(desktopChannel('grantDroppedFiles'), ['/home/user/a.wav'])
  })
})
