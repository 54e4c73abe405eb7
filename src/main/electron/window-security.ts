import type { Session, WebContents } from 'electron'

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
