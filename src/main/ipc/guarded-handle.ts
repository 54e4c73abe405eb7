import type { Result } from '../../shared/commands'
import { isTrustedSender, type AppOrigin, type SenderFrame } from './sender-guard'

/** The part of Electron's `IpcMainInvokeEvent` the handlers read. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null
}

/** The part of Electron's `ipcMain` the handlers use. */
export interface InvokeRegistry<E extends InvokeEvent = InvokeEvent> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

/** Refused senders get no envelope and no detail: they are not Spool's page, so nothing is explained to them. */
export class UntrustedSenderError extends Error {
  constructor() {
    super('Refused: the message did not come from Spool')
    this.name = 'UntrustedSenderError'
  }
}

/**
 * Registers one `invoke` handler that checks the sender frame before anything else, then runs `answer`
 * with the single argument the preload sends.
 */
export function handleGuarded<E extends InvokeEvent>(
  ipc: InvokeRegistry<E>,
  channel: string,
  origin: AppOrigin,
  answer: (param: unknown, event: E) => Promise<Result<unknown>>,
): () => void {
  ipc.handle(channel, (event, param) => {
    if (!isTrustedSender(event.senderFrame, origin)) throw new UntrustedSenderError()
    return answer(param, event)
  })
  return () => ipc.removeHandler(channel)
}
