import { mkdirSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { tokenMatches } from '../../src/main/web/access-token'
import { startWebHost, type WebHost } from '../../src/main/web/web-host'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'

interface Client {
  socket: WebSocket
  request(
    command: string,
    params?: unknown,
  ): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>
  pushes: { type: string; seq: number; events: { type: string }[] }[]
  closed: Promise<number>
}

function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const socket = new WebSocket(url, { headers })
  const pending = new Map<number, (value: never) => void>()
  const pushes: Client['pushes'] = []
  let next = 1
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString())
    if (message.type === 'events') pushes.push(message)
    else pending.get(message.id)?.(message as never)
  })
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    socket.once('open', () =>
      resolve({
        socket,
        pushes,
        closed,
        request: (command, params) =>
          new Promise((done) => {
            const id = next++
            pending.set(id, done)
            socket.send(JSON.stringify({ id, command, params }))
          }),
      }),
    )
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    socket.once('error', reject)
  })
}

describe('web host', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const hosts: WebHost[] = []
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.close()
  })

  async function start() {
    const root = tempDir()
    const dashboardDir = tempDir()
    writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Spool</title>')
    mkdirSync(join(dashboardDir, 'assets'))
    writeFileSync(join(dashboardDir, 'assets', 'app.js'), 'console.log(1)')
    const { spool } = await open({ roots: [root] })
    const host = await startWebHost({ spool, roots: [root], dashboardDir })
    hosts.push(host)
    const ws = `ws://127.0.0.1:${host.port}/ws?token=${host.token}`
    return { spool, host, root, ws, base: `http://127.0.0.1:${host.port}` }
  }

  it('serves the page only with the token, with security headers', async () => {
    const { host, base } = await start()
    const page = await fetch(host.url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Spool</title>')
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect((await fetch(`${base}/`)).status).toBe(401)
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401)
    expect(page.headers.get('cache-control')).toBe('no-store')
    const asset = await fetch(`${base}/assets/app.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    // A reload asks whether the bundle changed and is told no, without its bytes (asked as a browser asks its
    // cache; `fetch` would add `Cache-Control: no-cache`, which asks for the bytes whatever the answer).
    const again = await new Promise<number | undefined>((resolve, reject) =>
      get(`${base}/assets/app.js`, { headers: { 'If-None-Match': asset.headers.get('etag')! } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      }).on('error', reject),
    )
    expect(again).toBe(304)
    for (const spelling of [
      '/%69ndex.html',
      '/assets/..%2Findex.html',
      '/.%2Findex.html',
      '/INDEX.HTML',
      '//index.html',
    ])
      expect((await fetch(`${base}${spelling}`)).status, spelling).not.toBe(200)
    expect((await fetch(`${base}/assets/../../../etc/passwd`)).status).toBe(404)
    for (const folder of ['/assets', '/assets/'])
      expect((await fetch(`${base}${folder}`, { redirect: 'manual' })).status, folder).toBe(404)
    expect((await fetch(`${base}/?token=${host.token}`, { method: 'POST' })).status).toBe(405)
  })

  it('listens on loopback only: another address of this machine is refused', async () => {
    const { host } = await start()
    const other = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)
    if (!other) return console.warn('no non-loopback address on this machine: only 127.0.0.1 was checked')
    await expect(fetch(`http://${other.address}:${host.port}/?token=${host.token}`)).rejects.toThrow()
  })

  it('compares tokens of any length or type without throwing, and only the exact token matches', () => {
    const token = 'a'.repeat(43)
    expect(tokenMatches(token, token)).toBe(true)
    for (const given of ['', 'a', 'a'.repeat(42), 'a'.repeat(44), `${token}\u0000`, 'ä'.repeat(43), null, undefined])
      expect(tokenMatches(token, given)).toBe(false)
  })

  it('refuses a socket without the token or from a foreign page', async () => {
    const { host, base } = await start()
    await expect(connect(`ws://127.0.0.1:${host.port}/ws?token=nope`)).rejects.toThrow('401')
    const foreign = { Origin: 'http://evil.example' }
    await expect(connect(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, foreign)).rejects.toThrow('403')
    const own = await connect(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { Origin: base })
    expect((await own.request('kinds')).ok).toBe(true)
    own.socket.close()
  })

  it('refuses requests naming another host (DNS rebinding)', async () => {
    const { host } = await start()
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const path = `/?token=${host.token}`
      const headers = { Host: `attacker.example:${host.port}` }
      get({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
        res.resume()
        resolve(res.statusCode)
      }).on('error', reject)
    })
    expect(status).toBe(421)
  })

  it('runs commands over the socket and pushes event batches with rising seq', async () => {
    const { ws } = await start()
    const client = await connect(ws)
    const submitted = await client.request('submit', [{ kind: 'debug.sleep', input: { ms: 50, steps: 5 } }])
    expect(submitted.ok).toBe(true)
    const [id] = submitted.value as string[]
    for (let i = 0; i < 200; i++) {
      const job = (await client.request('get', id)).value as { state: string }
      if (job.state === 'succeeded') break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(((await client.request('get', id)).value as { state: string }).state).toBe('succeeded')
    const types = () => client.pushes.flatMap((push) => push.events.map((event) => event.type))
    await eventually(() => types().includes('succeeded'))
    const seqs = client.pushes.map((push) => push.seq)
    expect(seqs.length).toBeGreaterThan(0)
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i))
    client.socket.close()
  })

  it('answers bad requests with typed errors, and closes on garbage', async () => {
    const { ws } = await start()
    const client = await connect(ws)
    expect((await client.request('nope')).error?.code).toBe('INVALID_INPUT')
    expect((await client.request('submit', [{ kind: 'x'.repeat(500), input: {} }])).error?.code).toBe('INVALID_INPUT')
    expect((await client.request('__proto__')).error?.code).toBe('INVALID_INPUT')
    for (const command of [{ toString: 1 }, { valueOf: null, toString: null }, ['submit'], null, 7]) {
      const reply = await client.request(command as never, [{ kind: 'debug.sleep', input: { ms: 0 } }])
      expect(reply.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Unknown command/) })
    }
    expect((await client.request('get', '../1')).error?.code).toBe('INVALID_INPUT')
    // A JSON client says "no params" with null as often as by leaving them out.
    expect((await client.request('pause', null)).value).toMatchObject({ paused: true })
    expect((await client.request('resume', {})).error).toEqual({
      code: 'INVALID_INPUT',
      message: 'Invalid resume params: none are taken: leave them out, or send null',
    })
    expect((await client.request(undefined as never)).error).toEqual({
      code: 'INVALID_INPUT',
      message: 'The request names no command',
    })
    client.socket.send('this is not json')
    expect(await client.closed).toBe(1008)
  })

  it('browses only inside the roots and downloads only outputs under them', async () => {
    const { ws, root, host, base } = await start()
    writeFileSync(join(root, 'photo.png'), 'png')
    mkdirSync(join(root, 'album'))
    const client = await connect(ws)
    const roots = (await client.request('browse')).value as { entries: { path: string }[] }
    expect(roots.entries).toHaveLength(1)
    const listing = (await client.request('browse', { path: roots.entries[0]!.path })).value as {
      entries: { name: string; type: string }[]
    }
    expect(listing.entries.map((entry) => `${entry.type}:${entry.name}`)).toEqual(['folder:album', 'file:photo.png'])
    const outside = await client.request('browse', { path: '/etc' })
    expect(outside.error).toMatchObject({ code: 'FORBIDDEN_PATH' })
    expect(outside.error?.message).toContain('/etc')

    const inRoot = { outputs: [{ path: join(root, 'photo.png'), size: 3 }] }
    const outRoot = { outputs: [{ path: '/etc/hostname', size: 1 }] }
    const ids = (
      await client.request('submit', [
        { kind: 'debug.sleep', input: { ms: 0, result: inRoot } },
        { kind: 'debug.sleep', input: { ms: 0, result: outRoot } },
      ])
    ).value as string[]
    for (let i = 0; i < 200; i++) {
      const page = (await client.request('list', { states: ['succeeded'] })).value as { jobs: unknown[] }
      if (page.jobs.length === 2) break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const download = await fetch(`${base}/download?token=${host.token}&job=${ids[0]}&output=0`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toContain('photo.png')
    expect(await download.text()).toBe('png')
    expect((await fetch(`${base}/download?token=${host.token}&job=${ids[1]}&output=0`)).status).toBe(404)
    expect((await fetch(`${base}/download?token=bad&job=${ids[0]}&output=0`)).status).toBe(401)
    client.socket.close()
  })
})
