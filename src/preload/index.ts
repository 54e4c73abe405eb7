import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { createWindowSpool } from './window-spool'

// The sandboxed preload: expose `window.spool` and nothing else of Electron.
contextBridge.exposeInMainWorld(
  'spool',
  createWindowSpool({ ipc: ipcRenderer, getPathForFile: (file) => webUtils.getPathForFile(file) }),
)
