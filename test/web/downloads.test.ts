import { mkdirSync, readdirSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs'
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

describe('resuming downloads', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const startHost = useWebHost()

  it('a download cut off resumes where it stopped, and starts again whole when the file changed since', async () => {
    const root = tempDir()
    const file = join(root, '50% off.webp')
    writeFileSync(file, '0123456789')
    const { spool } = await open({ roots: [root] })
    const host = await startHost({ spool, roots: [root], dashboardDir: tempDir() })
    const [id] = await spool.submit([
      { kind: 'debug.sleep', input: { ms: 0, result: { outputs: [{ path: file, size: 10 }] } } },
    ])
    await spool.wait(id!)
    const url = `http://127.0.0.1:${host.port}/download?token=${host.token}&job=${id}&output=0`

    const whole = await fetch(url)
    expect(whole.status).toBe(200)
    expect(whole.headers.get('accept-ranges')).toBe('bytes')
    expect(whole.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''50%25%20off.webp`)
    expect(await whole.text()).toBe('0123456789')
    const etag = whole.headers.get('etag')!

    const rest = await fetch(url, { headers: { Range: 'bytes=4-', 'If-Range': etag } })
    expect(rest.status).toBe(206)
    expect(rest.headers.get('content-range')).toBe('bytes 4-9/10')
    expect(rest.headers.get('content-type')).toBe('application/octet-stream')
    expect(rest.headers.get('cache-control')).toBe('no-store')
    expect(await rest.text()).toBe('456789')

    const head = await fetch(url, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe('10')
    expect(await head.text()).toBe('')

    const pastTheEnd = await fetch(url, { headers: { Range: 'bytes=10-' } })
    expect(pastTheEnd.status).toBe(416)
    expect(pastTheEnd.headers.get('content-range')).toBe('bytes */10')

    // The job wrote the file again meanwhile: the piece asked for would splice two versions, so all is sent.
    writeFileSync(file, 'abcdefghijkl')
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    const changed = await fetch(url, { headers: { Range: 'bytes=4-', 'If-Range': etag } })
    expect(changed.status).toBe(200)
    expect(await changed.text()).toBe('abcdefghijkl')
  })
})
