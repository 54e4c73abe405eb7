import type { SpoolApi } from './commands'
import type { JobId } from './job'

export interface FileFilter {
  name: string
  extensions: string[]
}

/**
 * What only the desktop app can do, exposed on `window.spool` beside the commands. Paths come back already
 * granted: the window never invents a path the main process would accept.
 */
export interface DesktopApi {
  /** The native open dialog; answers the chosen files (empty when dismissed). */
  pickFiles(filters?: FileFilter[]): Promise<string[]>
  /** The native folder dialog; answers the chosen folder or null. */
  pickOutputDir(): Promise<string | null>
  /** Resolves dropped `File`s to their paths in the preload and grants them; script-made files are refused. */
  grantDroppedFiles(files: readonly object[]): Promise<string[]>
  /** Reveals a finished job's output in the file manager; the path is looked up from the job. */
  showInFolder(id: JobId): Promise<void>
  /** Opens a finished job's output with the default app. */
  openOutput(id: JobId): Promise<void>
}

export type WindowSpool = SpoolApi & DesktopApi
