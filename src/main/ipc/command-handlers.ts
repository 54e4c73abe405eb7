import { commandNames, type SpoolCommands } from '../../shared/commands'
import { commandChannel } from '../../shared/ipc-channels'
import { dispatchCommand } from '../../shared/validate'
import { handleGuarded, type InvokeEvent, type InvokeRegistry } from './guarded-handle'
import type { AppOrigin } from './sender-guard'

/**
 * One `invoke` handler per command of the shared table: sender checked, params validated by the command's
 * schema, the engine called, the answer wrapped as a result envelope. Returns the function that removes them.
 */
export function registerCommandHandlers<E extends InvokeEvent>(
  ipc: InvokeRegistry<E>,
  spool: SpoolCommands,
  origin: AppOrigin,
): () => void {
  const removers = commandNames.map((name) =>
    handleGuarded(ipc, commandChannel(name), origin, (params) => dispatchCommand(spool, name, params)),
  )
  return () => removers.forEach((remove) => remove())
}
