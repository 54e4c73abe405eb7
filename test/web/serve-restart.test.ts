import { createServer, type Server } from 'node:net'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startServe, type ServeProcess } from './serve-process'
import type { Job } from '../../src/shared/job'
import { eventually } from '../support/test-spool'
import { openSocket } from './socket-client'

const noDashboard = { SPOOL_DASHBOARD_DIR: '/nonexistent' }

describe('npm run serve started again on the same data folder', { timeout: 60_000 }, () => {
  const hosts: ServeProcess[] = []
  const folders: string[] = []
  let blocker: Server | undefined

  function folder(): string {
    const path = mkdtempSync(join(tmpdir(), 'spool-restart-'))
    folders.push(path)
    return path
  }

  async function serve(base: string, args: string[] = []): Promise<ServeProcess> {
    const host = await startServe(args, noDashboard, base)
    hosts.push(host)
    return host
  }

  afterEach(async () => {
    for (const host of hosts.splice(0)) if (host.child.exitCode === null) await host.stop('SIGKILL')
    blocker?.close()
    for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true })
  })

  it('answers at the address it printed before, so a page left open finds it again after Ctrl-C', async () => {
    const base = folder()
    const first = await serve(base)
    expect(await first.stop('SIGINT')).toBe(0)
    const second = await serve(base)
    expect(second.url).toBe(first.url)
    const socket = await openSocket(first.port, first.token)
    expect((await socket.call('snapshot')).ok).toBe(true)
    socket.close()
    // The token opens the queue: only its owner may read the file that keeps it.
    expect(statSync(join(base, 'data', 'web-address.json')).mode & 0o077).toBe(0)
  })

  it('keeps its token but takes another port when the old one is taken meanwhile', async () => {
    const base = folder()
    const first = await serve(base)
    await first.stop('SIGINT')
    blocker = createServer()
    await new Promise<void>((resolve) => blocker!.listen(first.port, '127.0.0.1', resolve))
    const second = await serve(base)
    expect(second.port).not.toBe(first.port)
    expect(second.token).toBe(first.token)
  })

  it('takes the port given with --port over the one it kept', async () => {
    const base = folder()
    const first = await serve(base)
    await first.stop('SIGINT')
    const free = createServer()
    const port = await new Promise<number>((resolve) =>
      free.listen(0, '127.0.0.1', () => resolve((free.address() as { port: number }).port)),
    )
    await new Promise((resolve) => free.close(resolve))
    const second = await serve(base, ['--port', String(port)])
    expect(second.port).toBe(port)
    expect(second.token).toBe(first.token)
  })

  it('Ctrl-C with jobs running says which start again and which end cancelled, and the next start does so', async () => {
    const base = folder()
    const first = await serve(base)
    const socket = await openSocket(first.port, first.token)
    await socket.call('setConcurrency', 2)
    const submitted = await socket.call('submit', [
      { kind: 'debug.sleep', input: { ms: 60_000, steps: 600 }, label: 'resumes' },
      { kind: 'debug.fail', input: { mode: 'hang' }, label: 'cancelled' },
    ])
    const [resumes, cancelled] = (submitted as { value: string[] }).value
    const events = () => socket.batches.flatMap((batch) => batch.events)
    await eventually(() => events().filter((event) => event.type === 'started').length === 2)
    await socket.call('cancel', { ids: [cancelled] })
    await eventually(() => events().some((event) => event.type === 'stopping'))
    expect(await first.stop('SIGINT')).toBe(0)
    expect(first.stderr()).toContain(
      'stopping; 1 running job goes back to the queue and starts again at the next start; 1 job asked to cancel ends cancelled',
    )

    const second = await serve(base)
    const again = await openSocket(second.port, second.token)
    const get = async (id: string | undefined) => ((await again.call('get', id)) as { value: Job }).value
    expect(await get(cancelled)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } })
    expect((await get(resumes)).state).toMatch(/^(queued|running)$/)
    again.close()
  })

  it('starts with a new address when the kept one is damaged', async () => {
    const base = folder()
    const first = await serve(base)
    await first.stop('SIGINT')
    writeFileSync(join(base, 'data', 'web-address.json'), '{"port": "x", "token": "../../etc"}')
    const second = await serve(base)
    expect(second.token).not.toBe(first.token)
    expect(second.token).toMatch(/^[\w-]{43}$/)
  })
})
