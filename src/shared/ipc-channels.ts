import type { CommandName } from './commands'
import type { DesktopApi } from './desktop'
import type { JobId } from './job'

/** Channel names shared by the main process and the preload; nothing else sends on IPC. */
export function commandChannel(name: CommandName): string {
  return `spool:command:${name}`
}

export type DesktopMethod = keyof DesktopApi

// A record, so that a method added to `DesktopApi` fails to compile until it is listed here.
const desktopMethodSet: Record<DesktopMethod, true> = {
  pickFiles: true,
  pickOutputDir: true,
  grantDroppedFiles: true,
  showInFolder: true,
  openOutput: true,
}
export const desktopMethods = Object.keys(desktopMethodSet) as DesktopMethod[]

export function desktopChannel(name: DesktopMethod): string {
  return `spool:desktop:${name}`
}

/** Pushed from main to windows: event batches, a job to select (a notification was clicked), files handed over. */
export const pushChannels = {
  events: 'spool:events',
  selectJob: 'spool:select-job',
  filesOpened: 'spool:files-opened',
} as const

/**
 * What the desktop shell pushes to a window besides event batches. Exposed on `window.spool` in Electron
 * only; a renderer checks for the method before using it.
 */
export interface DesktopEvents {
  /** A notification for this job was clicked: show it. */
  onSelectJob(listener: (id: JobId) => void): () => void
  /** Files were handed to Spool (a second launch, "Open with"); they are already granted. */
  onFilesOpened(listener: (paths: string[]) => void): () => void
}
