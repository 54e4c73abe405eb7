import { afterEach } from 'vitest'
import { startWebHost, type WebHost, type WebHostOptions } from '../../src/main/web/web-host'

/** Starts web hosts for a test and closes each after it, so no server outlives its test. */
export function useWebHost(): (options: WebHostOptions) => Promise<WebHost> {
  const hosts: WebHost[] = []
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.close()
  })
  return async (options) => {
    const host = await startWebHost(options)
    hosts.push(host)
    return host
  }
}
