import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, utilityProcess } from 'electron'
import { openSpool } from '../jobs'
import type { Spool } from '../jobs/types'
import { registerCommandHandlers } from '../ipc/command-handlers'
import { registerDesktopHandlers } from '../ipc/desktop-handlers'
import { broadcastEvents } from '../ipc/event-broadcaster'
import { pushChannels } from '../../shared/ipc-channels'
import { appMenuTemplate } from './app-menu'
import { appPaths } from './app-paths'
import { appOrigin, handleAppProtocol, registerAppScheme } from './app-protocol'
import { contentSecurityPolicy } from './content-security-policy'
import { integrateDesktop } from './desktop-integration'
import { nativeShell } from './native-shell'
import { filesFromArgs, filesFromHandOver, HandOverInbox, type HandOver } from './opened-files'
import { QuitHandshake, type QuitChoice } from './quit-handshake'
import { UtilityProcessLauncher } from './utility-process-launcher'
import { denyNavigation, denyPermissions } from './window-security'
import { frontWindow, openSpoolWindow, sendWhenLoaded, type WindowSource } from './windows'

const appUserModelId = 'dev.spool.app'

async function askBeforeQuit(running: number): Promise<QuitChoice> {
  const choices: QuitChoice[] = ['cancel-and-quit', 'keep-running', 'stay']
  const { response } = await dialog.showMessageBox({
    type: 'question',
    message: running === 1 ? 'A job is still running' : `${running} jobs are still running`,
    detail: 'Keep running closes the windows and quits when the queue is done.',
    buttons: ['Cancel Jobs and Quit', 'Keep Running', "Don't Quit"],
    defaultId: 2,
    cancelId: 2,
  })
  return choices[response] ?? 'stay'
}

function openFiles(spool: Spool, source: WindowSource, files: string[]): void {
  if (files.length === 0) return
  spool.grant(files)
  sendWhenLoaded(frontWindow(source), pushChannels.filesOpened, files)
}

/** The native open dialog over `window`; the files chosen open a new job there, as files handed to Spool do. */
async function addFiles(spool: Spool, source: WindowSource, window: BrowserWindow): Promise<void> {
  const picked = await dialog.showOpenDialog(window, { properties: ['openFile', 'multiSelections'] })
  if (!picked.canceled) openFiles(spool, source, picked.filePaths)
}

async function run(inbox: HandOverInbox): Promise<void> {
  const paths = appPaths(app, process.resourcesPath)
  const devServerUrl = app.isPackaged ? undefined : process.env.VITE_DEV_SERVER_URL
  const source: WindowSource = { preload: paths.preload, ...(devServerUrl && { devServerUrl }) }
  const origin = { ...appOrigin, ...(devServerUrl && { devServerUrl }) }

  handleAppProtocol(protocol, paths.renderer)
  denyPermissions(session.defaultSession)
  // `app://` responses carry the CSP from the protocol handler (webRequest does not see custom schemes);
  // only pages from the dev server need it added here.
  if (devServerUrl) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      const policy = contentSecurityPolicy(devServerUrl)
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
    })
  }

  const spool = await openSpool({
    dataDir: paths.dataDir,
    sqliteAddon: paths.sqliteAddon,
    launcher: new UtilityProcessLauncher(
      (entry, args, options) => utilityProcess.fork(entry, args, options),
      paths.workerEntry,
    ),
  })
  registerCommandHandlers(ipcMain, spool, origin)
  registerDesktopHandlers(ipcMain, spool, nativeShell, origin)
  broadcastEvents(spool, () => BrowserWindow.getAllWindows().map((window) => window.webContents))

  const handshake = new QuitHandshake({
    running: async () => (await spool.snapshot()).counts.running,
    ask: askBeforeQuit,
    cancelAll: async () => void (await spool.cancel({ all: true })),
    shutdown: () => spool.close(),
    closeWindows: () => BrowserWindow.getAllWindows().forEach((window) => window.close()),
    ensureWindow: () => frontWindow(source),
    quit: () => app.quit(),
  })
  // Every way back to a window (dock, second launch, a notification) ends a "keep running" quit.
  const reopen = () => {
    handshake.onWindowOpened()
    return frontWindow(source)
  }
  const stopDesktop = await integrateDesktop(spool, { frontWindow: reopen, onIdle: () => handshake.onIdle() })
  app.on('before-quit', (event) => handshake.onBeforeQuit(event))
  app.on('will-quit', () => stopDesktop())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !handshake.inBackground) app.quit()
  })
  app.on('activate', () => reopen())
  const handedOverEarlier = inbox.receiveWith((files) => {
    reopen()
    openFiles(spool, source, files)
  })

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        isMac: process.platform === 'darwin',
        addFiles: () => void addFiles(spool, source, reopen()),
        openWindow: () => {
          handshake.onWindowOpened()
          openSpoolWindow(source)
        },
      }),
    ),
  )
  openSpoolWindow(source)
  openFiles(spool, source, handedOverEarlier)
  if (spool.startupNotice) void dialog.showMessageBox({ type: 'warning', message: spool.startupNotice })
}

/** The Electron main process: one instance, one queue, any number of windows on it. */
export function startSpoolApp(): void {
  registerAppScheme(protocol)
  // `electron .` in development puts the app path before the user's arguments; a packaged app does not.
  const args = process.argv.slice(process.defaultApp ? 2 : 1)
  const handOver: HandOver = { files: filesFromArgs(args, process.cwd()) }
  if (!app.requestSingleInstanceLock(handOver)) {
    app.quit()
    return
  }
  app.setAppUserModelId(appUserModelId)
  // Registered before `ready`: macOS delivers "Open with" files early, and a second launch may come any time.
  const inbox = new HandOverInbox()
  inbox.add(handOver.files)
  app.on('open-file', (event, path) => {
    event.preventDefault()
    inbox.add([path])
  })
  app.on('second-instance', (_event, _argv, _cwd, data) => inbox.add(filesFromHandOver(data)))
  // Reached only with https: URLs (isExternalLink) from a link the user clicked; everything else is refused.
  const openExternal = (url: string) => void shell.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  app.on('web-contents-created', (_event, contents) => denyNavigation(contents, openExternal))
  app
    .whenReady()
    .then(() => run(inbox))
    .catch((error: unknown) => {
      dialog.showErrorBox('Spool could not start', error instanceof Error ? error.message : String(error))
      app.exit(1)
    })
}
