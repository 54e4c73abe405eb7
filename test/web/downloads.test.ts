import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../support/temp-dir'
import { useWebHost } from './use-web-host'
import { eventually, useSpool } from '../support/test-spool'

/** How many descriptors this process holds open on `file` (the host runs in the test's process). */
function openHandles(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file
    } catch {
      return false
    }
  }).length
}

describe.runIf(process.platform === 'linux')('downloads of outputs', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const startHost = useWebHost()

  it('a download the browser abandons halfway releases the file', async () => {
    const root = tempDir()
    mkdirSync(join(root, 'out'))
    const file = join(root, 'out', 'movie.mp4')
    writeFileSync(file, Buffer.alloc(32 * 1024 * 1024))
    const { spool } = await open({ roots: [root] })
    const host = await startHost({ spool, roots: [root], dashboardDir: tempDir() })
    const [id] = await spool.submit([
      { kind: 'debug.sleep', input: { ms: 0, result: { outputs: [{ path: file, size: 32 * 1024 * 1024 }] } } },
    ])
    await spool.wait(id!)
    for (let i = 0; i < 5; i++) {
      const abort = new AbortController()
      const url = `http://127.0.0.1:${host.port}/download?token=${host.token}&job=${id}&output=0`
      const response = await fetch(url, { signal: abort.signal })
      expect(response.status).toBe(200)
      await response.body!.getReader().read()
      abort.abort()
    }
    // The file stays open only while bytes flow; five abandoned downloads must not leave five descriptors.
    await eventually(() => openHandles(file) === 0, 5000)
  })
})
