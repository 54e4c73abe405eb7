import { commandNames, type Result, type SpoolCommands } from '../shared/commands'
import type { DesktopApi, WindowSpool } from '../shared/desktop'
import type { JobError } from '../shared/errors'
import type { EventBatch } from '../shared/events'
import { commandChannel, desktopChannel, pushChannels, type DesktopEvents } from '../shared/ipc-channels'

/** The part of Electron's `ipcRenderer` the preload uses; none of it is handed to the page. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
}

export interface PreloadDeps {
  ipc: PreloadIpc
  /** `webUtils.getPathForFile`: the path of a dropped file, empty for a `File` made in script. */
  getPathForFile(file: File): string
}

export type ExposedSpool = WindowSpool & DesktopEvents

/**
 * Rejections are plain `{ code, message }` objects, not `Error`s: an `Error` crossing the context bridge
 * keeps only its message, and the page needs the code (`toJobError` reads either shape).
 */
function refusal(error: JobError): Readonly<JobError & { name: string }> {
  return Object.freeze({ name: 'SpoolError', code: error.code, message: error.message })
}

async function call(ipc: PreloadIpc, channel: string, param: unknown): Promise<unknown> {
  const result = (await ipc.invoke(channel, param)) as Result<unknown>
  if (result.ok) return result.value
  throw refusal(result.error)
}

function listen<T>(ipc: PreloadIpc, channel: string, listener: (payload: T) => void): () => void {
  // Wrapped so the page never sees the IPC event (it carries `sender`, i.e. ipcRenderer itself).
  const forward = (_event: unknown, payload: unknown) => listener(payload as T)
  ipc.on(channel, forward)
  return () => {
    ipc.removeListener(channel, forward)
  }
}

function pathsOf(files: readonly object[], getPathForFile: (file: File) => string): string[] {
  if (!Array.isArray(files)) {
    throw refusal({ code: 'INVALID_INPUT', message: 'Dropped files come as a list of the files dropped' })
  }
  return files.map((file) => {
    let path = ''
    try {
      path = getPathForFile(file as File)
    } catch {
      // Not a File at all: refused below like a File made in script.
    }
    if (!path) {
      throw refusal({ code: 'FORBIDDEN_PATH', message: 'Only files dropped from the desktop can be added this way' })
    }
    return path
  })
}

/** `window.spool`: the command table as methods, the event stream, and the desktop helpers. */
export function createWindowSpool({ ipc, getPathForFile }: PreloadDeps): ExposedSpool {
  const commands = Object.fromEntries(
    commandNames.map((name) => [name, (params?: unknown) => call(ipc, commandChannel(name), params)]),
  ) as unknown as SpoolCommands
  const desktop: DesktopApi = {
    pickFiles: (filters) => call(ipc, desktopChannel('pickFiles'), filters) as Promise<string[]>,
    pickOutputDir: () => call(ipc, desktopChannel('pickOutputDir'), undefined) as Promise<string | null>,
    grantDroppedFiles: async (files) =>
      call(ipc, desktopChannel('grantDroppedFiles'), pathsOf(files, getPathForFile)) as Promise<string[]>,
    showInFolder: (id) => call(ipc, desktopChannel('showInFolder'), id) as Promise<void>,
    openOutput: (id) => call(ipc, desktopChannel('openOutput'), id) as Promise<void>,
  }
  return {
    ...commands,
    ...desktop,
    onEvents: (listener) => listen<EventBatch>(ipc, pushChannels.events, listener),
    onSelectJob: (listener) => listen<string>(ipc, pushChannels.selectJob, listener),
    onFilesOpened: (listener) => listen<string[]>(ipc, pushChannels.filesOpened, listener),
  }
}
