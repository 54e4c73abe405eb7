import type { z } from 'zod'
import {
  commands,
  isCommandName,
  type CommandName,
  type CommandParams,
  type Result,
  type SpoolCommands,
} from './commands'
import { SpoolError, toJobError } from './errors'
import { readSpecsDirectly } from './submit-specs'

/** Unknown keys named in a message at most: a request with thousands of them gets a message of a line. */
const keysNamed = 5

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.')
  let message = issue.message
  if (issue.code === 'unrecognized_keys' && issue.keys.length > keysNamed) {
    const named = issue.keys.slice(0, keysNamed).map((key) => JSON.stringify(key.slice(0, 40)))
    message = `Unrecognized keys: ${named.join(', ')} and ${issue.keys.length - keysNamed} more`
  }
  return field ? `${field}: ${message}` : message
}

/** Parses with a schema, turning a failure into `INVALID_INPUT` that names the offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue ? issue.path.map(String).join('.') : ''
  throw new SpoolError(
    'INVALID_INPUT',
    `Invalid ${what}: ${issue ? describeIssue(issue) : 'rejected'}`,
    field ? { field } : undefined,
  )
}

export function parseCommandParams<K extends CommandName>(name: K, params: unknown): CommandParams<K> {
  const specs = name === 'submit' ? readSpecsDirectly(params) : null
  if (specs) return specs as CommandParams<K>
  return parseOrThrow(commands[name].params, params, `${name} params`) as CommandParams<K>
}

/** Why a name is not a command, for the error: `String()` of a JSON object whose `toString` is data throws. */
function unknownCommand(name: unknown): string {
  if (name === undefined) return 'The request names no command'
  const shown = typeof name === 'string' ? name.slice(0, 40) : `a ${name === null ? 'null' : typeof name}, not a name`
  return `Unknown command: ${shown}`
}

/**
 * Runs a command by name on behalf of a caller across a boundary (a window, a socket): the name and params
 * are checked first, and whatever happens comes back as a result envelope, never as a thrown error.
 */
export async function dispatchCommand(target: SpoolCommands, name: unknown, params: unknown): Promise<Result<unknown>> {
  try {
    if (!isCommandName(name)) throw new SpoolError('INVALID_INPUT', unknownCommand(name))
    const parsed = parseCommandParams(name, params)
    const method = target[name] as (p?: unknown) => Promise<unknown>
    const value = await method.call(target, parsed)
    return { ok: true, value }
  } catch (error) {
    return { ok: false, error: toJobError(error) }
  }
}
