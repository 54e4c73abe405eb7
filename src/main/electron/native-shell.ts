import { BrowserWindow, dialog, shell, type IpcMainInvokeEvent, type OpenDialogOptions } from 'electron'
import type { NativeShell } from '../ipc/desktop-handlers'

function showOpen(event: IpcMainInvokeEvent, options: OpenDialogOptions) {
  const window = BrowserWindow.fromWebContents(event.sender)
  return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)
}

/** The native dialogs and file manager behind `window.spool`'s desktop helpers, parented to the asking window. */
export const nativeShell: NativeShell<IpcMainInvokeEvent> = {
  async chooseFiles(event, filters) {
    const picked = await showOpen(event, { properties: ['openFile', 'multiSelections'], filters })
    return picked.canceled ? [] : picked.filePaths
  },
  async chooseFolder(event) {
    const picked = await showOpen(event, { properties: ['openDirectory', 'createDirectory'] })
    return picked.canceled ? null : (picked.filePaths[0] ?? null)
  },
  showItemInFolder: (path) => shell.showItemInFolder(path),
  openPath: (path) => shell.openPath(path),
}
