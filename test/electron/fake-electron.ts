import { EventEmitter } from 'node:events'
import { vi } from 'vitest'

/**
 * The parts of the `electron` module the main process uses, in memory. Tests mock `electron` with
 * `createFakeElectron()` and then drive it: fire app events, invoke IPC handlers, inspect windows.
 */
export function createFakeElectron(options: { appPath?: string } = {}) {
  const calls: string[] = []
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  /** Channels given an `ipcMain.on` listener: messages that skip the invoke handlers' sender check. */
  const listeners: string[] = []
  const windows: FakeWindow[] = []
  const notifications: (EventEmitter & { options: object; show: () => void })[] = []
  let ready: () => void = () => {}
  const whenReady = new Promise<void>((resolve) => (ready = resolve))

  class FakeWebContents extends EventEmitter {
    sent: [string, unknown][] = []
    destroyed = false
    mainFrame = { url: 'app://spool/index.html', parent: null }
    isDestroyed = () => this.destroyed
    isLoading = () => false
    send = (channel: string, payload: unknown) => void this.sent.push([channel, payload])
    setWindowOpenHandler = vi.fn()
  }

  class FakeWindow extends EventEmitter {
    static getAllWindows = () => windows.filter((window) => !window.closed)
    static getFocusedWindow = () => null
    static fromWebContents = () => null
    webContents = new FakeWebContents()
    closed = false
    progress: [number, unknown][] = []
    loadURL = vi.fn(async () => {})
    show = vi.fn()
    focus = vi.fn()
    isMinimized = () => false
    restore = vi.fn()
    isDestroyed = () => this.closed
    setProgressBar = (fraction: number, options: unknown) => void this.progress.push([fraction, options])
    close = () => {
      this.closed = true
    }
    constructor(readonly options: { webPreferences?: object }) {
      super()
      windows.push(this)
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn((_data?: unknown) => true),
    setAppUserModelId: vi.fn(),
    setBadgeCount: vi.fn(),
    whenReady: () => whenReady,
    getAppPath: () => options.appPath ?? '/app',
    getPath: (name: string) => `/home/user/.config/Spool${name === 'userData' ? '' : `/${name}`}`,
    quit: vi.fn(() => void app.emit('before-quit', { preventDefault: vi.fn() })),
    exit: vi.fn(),
  })

  const session = {
    setPermissionRequestHandler: vi.fn(() => void calls.push('permission handler')),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn() },
  }

  const module = {
    app,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => void calls.push('register scheme')),
      handle: vi.fn(() => void calls.push('handle scheme')),
    },
    session: { defaultSession: session },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
        void handlers.set(channel, handler),
      removeHandler: (channel: string) => void handlers.delete(channel),
      on: (channel: string) => void listeners.push(channel),
      once: (channel: string) => void listeners.push(channel),
    },
    Menu: { buildFromTemplate: vi.fn((template: unknown) => template), setApplicationMenu: vi.fn() },
    dialog: { showMessageBox: vi.fn(async () => ({ response: 2 })), showErrorBox: vi.fn(), showOpenDialog: vi.fn() },
    shell: { openExternal: vi.fn(), showItemInFolder: vi.fn(), openPath: vi.fn() },
    utilityProcess: { fork: vi.fn() },
    Notification: Object.assign(
      class extends EventEmitter {
        constructor(readonly options: object) {
          super()
          notifications.push(this)
        }
        show = vi.fn()
      },
      { isSupported: () => true },
    ),
    powerSaveBlocker: { start: vi.fn(() => 1), stop: vi.fn() },
  }
  return { module, calls, handlers, listeners, windows, notifications, session, ready: () => ready() }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>
