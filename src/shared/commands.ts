import type { z } from 'zod'
import type { JobError } from './errors'
import type { EventListener } from './events'
import type { Job, JobId, JobPage, KindInfo, QueueState, Snapshot } from './job'
import { cancelParams, concurrencyParams, idsParams, jobId, listParams, noParams, submitParams } from './schemas'

/** A typed marker for what a command answers; results come from the trusted side and are not re-validated. */
function returns<T>(): T {
  return undefined as T
}

interface CommandDef {
  params: z.ZodType
  result: unknown
}

/**
 * The one list of commands. The IPC layer, the preload, the web host and the renderer client are all
 * derived from it, so a command added here is typed everywhere.
 */
export const commands = {
  submit: { params: submitParams, result: returns<JobId[]>() },
  cancel: { params: cancelParams, result: returns<number>() },
  retry: { params: idsParams, result: returns<JobId[]>() },
  remove: { params: idsParams, result: returns<number>() },
  get: { params: jobId, result: returns<Job | null>() },
  list: { params: listParams, result: returns<JobPage>() },
  snapshot: { params: noParams, result: returns<Snapshot>() },
  pause: { params: noParams, result: returns<QueueState>() },
  resume: { params: noParams, result: returns<QueueState>() },
  setConcurrency: { params: concurrencyParams, result: returns<QueueState>() },
  kinds: { params: noParams, result: returns<KindInfo[]>() },
} satisfies Record<string, CommandDef>

export type Commands = typeof commands
export type CommandName = keyof Commands
export { commandNames } from './command-names'

export type CommandParams<K extends CommandName> = z.input<Commands[K]['params']>
export type CommandResult<K extends CommandName> = Commands[K]['result']

/** What crosses a process boundary: never a thrown error, always one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: JobError }

/** A command as a method: commands without params take no argument. */
type CommandMethod<K extends CommandName> = [CommandParams<K>] extends [undefined | null]
  ? () => Promise<CommandResult<K>>
  : (params: CommandParams<K>) => Promise<CommandResult<K>>

export type SpoolCommands = { [K in CommandName]: CommandMethod<K> }

/** What the renderer talks to, whether backed by `window.spool` or a WebSocket. */
export interface SpoolApi extends SpoolCommands {
  /** Receives every event batch from now on; returns the unsubscribe function. */
  onEvents(listener: EventListener): () => void
}

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(commands, value)
}
