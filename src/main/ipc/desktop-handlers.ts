import { isAbsolute } from 'node:path'
import { z } from 'zod'
import type { Result } from '../../shared/commands'
import type { FileFilter } from '../../shared/desktop'
import { SpoolError, toJobError } from '../../shared/errors'
import { desktopChannel } from '../../shared/ipc-channels'
import type { JobId } from '../../shared/job'
import { jobId } from '../../shared/schemas'
import { parseOrThrow } from '../../shared/validate'
import type { Spool } from '../jobs/types'
import { handleGuarded, type InvokeEvent, type InvokeRegistry } from './guarded-handle'
import type { AppOrigin } from './sender-guard'

/** The native side of the desktop helpers, given the event so a dialog can be parented to the asking window. */
export interface NativeShell<E> {
  chooseFiles(event: E, filters: FileFilter[]): Promise<string[]>
  chooseFolder(event: E): Promise<string | null>
  showItemInFolder(path: string): void
  /** Electron's `shell.openPath`: resolves with an error message, empty on success. */
  openPath(path: string): Promise<string>
}

const fileFilters = z
  .array(
    z.strictObject({
      name: z.string().min(1).max(100),
      extensions: z
        .array(z.string().regex(/^(\*|[a-z0-9]{1,16})$/i))
        .min(1)
        .max(50),
    }),
  )
  .max(20)
  .optional()

const droppedPaths = z
  .array(z.string().min(1).max(4096).refine(isAbsolute, 'is not an absolute path'))
  .min(1)
  .max(10_000)

/** Conversion kinds answer `{ outputs: [{ path, size }] }`; anything else has nothing to show. */
const outputsResult = z.object({ outputs: z.array(z.object({ path: z.string().min(1) })).min(1) })

async function answer<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    return { ok: false, error: toJobError(error) }
  }
}

/** The path is looked up here, never taken from the window, so a window can only reveal what a job wrote. */
async function outputOf(spool: Pick<Spool, 'get'>, id: unknown): Promise<string> {
  const job = await spool.get(parseOrThrow(jobId, id, 'job id') as JobId)
  if (!job) throw new SpoolError('NOT_FOUND', 'No such job')
  const outputs = job.state === 'succeeded' ? outputsResult.safeParse(job.result) : null
  if (!outputs?.success) throw new SpoolError('NOT_FOUND', 'This job has no output to show')
  return outputs.data.outputs[0]!.path
}

/**
 * The desktop helpers of `window.spool`. Every path that comes back to the window is granted first, so the
 * engine accepts exactly the files the user chose, dropped or was handed.
 */
export function registerDesktopHandlers<E extends InvokeEvent>(
  ipc: InvokeRegistry<E>,
  spool: Pick<Spool, 'get' | 'grant'>,
  native: NativeShell<E>,
  origin: AppOrigin,
): () => void {
  const removers = [
    handleGuarded(ipc, desktopChannel('pickFiles'), origin, (filters, event) =>
      answer(async () => {
        const paths = await native.chooseFiles(event, parseOrThrow(fileFilters, filters, 'file filters') ?? [])
        if (paths.length > 0) spool.grant(paths)
        return paths
      }),
    ),
    handleGuarded(ipc, desktopChannel('pickOutputDir'), origin, (_none, event) =>
      answer(async () => {
        const folder = await native.chooseFolder(event)
        if (folder) spool.grant([folder])
        return folder
      }),
    ),
    // The preload resolved these from dropped `File`s with `webUtils.getPathForFile`; page script cannot reach IPC.
    handleGuarded(ipc, desktopChannel('grantDroppedFiles'), origin, (paths) =>
      answer(async () => {
        const granted = parseOrThrow(droppedPaths, paths, 'dropped files')
        spool.grant(granted)
        return granted
      }),
    ),
    handleGuarded(ipc, desktopChannel('showInFolder'), origin, (id) =>
      answer(async () => native.showItemInFolder(await outputOf(spool, id))),
    ),
    handleGuarded(ipc, desktopChannel('openOutput'), origin, (id) =>
      answer(async () => {
        const problem = await native.openPath(await outputOf(spool, id))
        if (problem)
          throw new SpoolError('NOT_FOUND', 'The output could not be opened; it may have been moved or deleted')
      }),
    ),
  ]
  return () => removers.forEach((remove) => remove())
}
