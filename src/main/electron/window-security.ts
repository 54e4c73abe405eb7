import type { Session, WebContents, WebPreferences } from 'electron'

/** Every window's preferences: the page is an untrusted web page that may only talk to `window.spool`. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    // A file dropped outside the drop zone must not replace the app with the file.
    navigateOnDragDrop: false,
    safeDialogs: true,
  }
}

/** Links the user may follow leave the app for the default browser; nothing else is opened at all. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * The app is one page: every navigation and every new window is refused; an https link goes to the browser.
 * Applied to every `WebContents` the app creates, not only the ones Spool made on purpose.
 */
export function denyNavigation(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  openExternal: (url: string) => void,
): void {
  const refuse = (event: { preventDefault(): void }, url: string) => {
    event.preventDefault()
    if (isExternalLink(url)) openExternal(url)
  }
  contents.on('will-navigate', (event, url) => refuse(event, url))
  contents.on('will-redirect', (event, url) => refuse(event, url))
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url)
    return { action: 'deny' }
  })
}

/** Spool needs no camera, microphone, location, notifications-from-page or devices: every request is refused. */
export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}
