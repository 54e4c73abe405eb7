import { BrowserWindow } from 'electron'
import { appUrl } from './app-protocol'

export interface WindowSource {
  preload: string
  /** The vite dev server in development; otherwise the page comes from `app://`. */
  devServerUrl?: string
}

/** Opens one Spool window. Every window shows the same queue: it takes a snapshot and follows the events. */
export function openSpoolWindow(source: WindowSource): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Spool',
    width: 1180,
    height: 760,
    minWidth: 640,
    minHeight: 420,
    show: false,
    // The page is treated as an untrusted web page that may only talk to `window.spool`. Written out here
    // rather than built elsewhere so the security scanner (test/electron/security-checklist.test.ts) sees it.
    webPreferences: {
      // The preload exposes window.spool through contextBridge and nothing of ipcRenderer (preload.test.ts).
      preload: source.preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // No auxclick (middle-click) events for page script: defence in depth beside the window-open handler.
      disableBlinkFeatures: 'Auxclick',
      // A file dropped outside the drop zone must not replace the app with the file.
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(source.devServerUrl ?? appUrl)
  return window
}

/** Sends to a window once its page can listen (a window opened for a hand-over is still loading). */
export function sendWhenLoaded(window: BrowserWindow, channel: string, payload: unknown): void {
  const send = () => {
    if (!window.isDestroyed()) window.webContents.send(channel, payload)
  }
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send)
  else send()
}

/** The window to show something in: the focused one, else the newest, else a new one. */
export function frontWindow(source: WindowSource): BrowserWindow {
  const windows = BrowserWindow.getAllWindows()
  const window = BrowserWindow.getFocusedWindow() ?? windows[windows.length - 1] ?? openSpoolWindow(source)
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
  return window
}
