import type { SpoolApi } from '../../shared/commands'
import type { DesktopApi } from '../../shared/desktop'
import type { DesktopEvents } from '../../shared/ipc-channels'
import type { JobId } from '../../shared/job'
import { downloadUrl, type BrowseResult } from '../../shared/web-host'
import type { NoticeSwitch } from '../lib/browser-notices'
import { connectSocket } from './socket-client'

/**
 * What the dashboard can do where it runs: always the commands; in Electron the native dialogs and file
 * manager, in the web host the root-limited browser and downloads. Components check for a feature, not a host.
 */
export interface Host {
  api: SpoolApi
  kind: 'desktop' | 'web'
  desktop?: DesktopApi
  /** The desktop shell's pushes: a clicked notification's job, files opened with Spool. */
  desktopEvents?: DesktopEvents
  browse?: (path?: string) => Promise<BrowseResult>
  downloadHref?: (id: JobId, output: number) => string
  /** Fires when a reconnected host may have missed events. */
  onReconnect?: (listener: () => void) => () => void
  /** Fires with false when the connection to the host drops, and with true when it is back. */
  onConnection?: (listener: (connected: boolean) => void) => () => void
  /** The user just gave Spool work: the web dashboard asks the browser's leave to tell when it is done. */
  askToNotify?: () => void
  /** The web dashboard's switch for its notifications (the desktop app's are the system's to set). */
  notices?: NoticeSwitch
}

function isDesktop(value: unknown): value is SpoolApi & DesktopApi {
  return typeof value === 'object' && value !== null && 'pickFiles' in value && 'onEvents' in value
}

function hasDesktopEvents(value: object): value is DesktopEvents {
  return 'onSelectJob' in value && 'onFilesOpened' in value
}

/** Decided once at start-up: the preload's `window.spool`, else the socket of the host that served the page. */
export function detectHost(win: Window & { spool?: unknown }): Host {
  if (isDesktop(win.spool)) {
    const spool = win.spool
    const host: Host = { api: spool, kind: 'desktop', desktop: spool }
    if (hasDesktopEvents(spool)) host.desktopEvents = spool
    return host
  }
  const token = new URLSearchParams(win.location.search).get('token') ?? ''
  const socketUrl = `ws://${win.location.host}/ws?token=${encodeURIComponent(token)}`
  const client = connectSocket(socketUrl)
  let connectedOnce = false
  return {
    api: client,
    kind: 'web',
    browse: client.browse,
    downloadHref: (id, output) => downloadUrl(token, id, output),
    onConnection: client.onConnection,
    onReconnect: (listener) =>
      client.onConnection((connected) => {
        if (connected && connectedOnce) listener()
        if (connected) connectedOnce = true
      }),
  }
}
