import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The port and token a host on a data folder gave out last, so its address survives a restart. */
export interface HostAddress {
  port: number
  token: string
}

const fileName = 'web-address.json'
const tokenShape = /^[\w-]{32,}$/

/**
 * The address kept in `dataDir`, or null when there is none or it is not one (a damaged file just means a new
 * address). A page left open on the host reconnects to the same address on its own, so a restart does not
 * strand it.
 */
export function keptHostAddress(dataDir: string): HostAddress | null {
  try {
    const kept = JSON.parse(readFileSync(join(dataDir, fileName), 'utf8')) as Partial<HostAddress>
    const { port, token } = kept
    if (!Number.isInteger(port) || port! < 1 || port! > 65535) return null
    if (typeof token !== 'string' || !tokenShape.test(token)) return null
    return { port: port!, token }
  } catch {
    return null
  }
}

/** Keeps the address for the next start; readable by the user only, since the token is the key to the queue. */
export function keepHostAddress(dataDir: string, address: HostAddress): void {
  const path = join(dataDir, fileName)
  rmSync(`${path}.tmp`, { force: true })
  writeFileSync(`${path}.tmp`, JSON.stringify(address), { mode: 0o600 })
  renameSync(`${path}.tmp`, path)
}
