import type { AnyJobKind } from '../define-job'
import { debugFail } from './debug-fail'
import { debugSleep } from './debug-sleep'

/** Every kind that ships with Spool. Diagnostic kinds only when asked for. */
export function builtinKinds(options: { diagnostics?: boolean } = {}): AnyJobKind[] {
  const kinds: AnyJobKind[] = []
  if (options.diagnostics) kinds.push(debugSleep, debugFail)
  return kinds
}
