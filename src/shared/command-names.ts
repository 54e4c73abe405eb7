import type { CommandName } from './commands'

// A record, so that a command added to the table fails to compile until it is listed here. It lives apart from
// the table so that a window can call commands by name without loading the schemas.
const commandNameSet: Record<CommandName, true> = {
  submit: true,
  cancel: true,
  retry: true,
  remove: true,
  get: true,
  list: true,
  snapshot: true,
  pause: true,
  resume: true,
  setConcurrency: true,
  kinds: true,
}

export const commandNames = Object.keys(commandNameSet) as CommandName[]
