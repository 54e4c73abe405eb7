import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { useTempDir } from '../support/temp-dir'

const cli = fileURLToPath(new URL('../../src/main/web/cli.ts', import.meta.url))

/** Hosts a test started; one a failed test left running is stopped after it. */
const started = new Set<ChildProcess>()

function serve(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    env: { ...process.env, SPOOL_DIAGNOSTICS: '1', SPOOL_DASHBOARD_DIR: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.add(child)
  child.once('exit', () => started.delete(child))
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const firstLine = new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, firstLine, exit, stderr: () => stderr }
}

function request(url: string, message: object): Promise<{ ok: boolean; value?: unknown }> {
  const socket = new WebSocket(url)
  return new Promise((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, ...message })))
    // Every client also gets the event batches (a running job's progress): the answer is the one with the id.
    socket.on('message', (data) => {
      const received = JSON.parse(data.toString()) as { id?: unknown; ok: boolean; value?: unknown }
      if (received.id !== 1) return
      resolve(received)
      socket.close()
    })
    socket.once('error', reject)
  })
}

describe('npm run serve', () => {
  const tempDir = useTempDir()
  afterEach(() => {
    for (const child of started) child.kill('SIGKILL')
  })

  it('prints its URL on one line, serves commands, and on SIGTERM hands running jobs back to the queue', async () => {
    const dataDir = tempDir()
    const server = serve(['--data-dir', dataDir, '--root', tempDir(), '--port', '0'])
    const line = await server.firstLine
    expect(line).toMatch(/^Spool listening on http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/)
    const url = new URL(line.replace('Spool listening on ', ''))
    const ws = `ws://${url.host}/ws?token=${url.searchParams.get('token')}`
    const submitted = await request(ws, {
      command: 'submit',
      params: [{ kind: 'debug.sleep', input: { ms: 60_000, steps: 600 } }],
    })
    const [id] = submitted.value as string[]
    for (let i = 0; i < 400; i++) {
      const job = (await request(ws, { command: 'get', params: id })).value as { state: string }
      if (job.state === 'running') break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    server.child.kill('SIGTERM')
    expect(await server.exit).toBe(0)
    const db = new Database(join(dataDir, 'spool.db'), { readonly: true })
    const row = db.prepare('SELECT state, attempts FROM jobs WHERE id = ?').get(Number(id)) as { state: string }
    db.close()
    expect(row).toEqual({ state: 'queued', attempts: 1 })
  })

  it('explains a missing option in one line and exits non-zero', async () => {
    const server = serve(['--port', '0'])
    expect(await server.exit).toBe(2)
    expect(server.stderr()).toMatch(/--data-dir DIR is required/)
  })

  it('refuses a --root that is missing or a file, and a --data-dir that is a file, naming it in one line', async () => {
    const dir = tempDir()
    const file = join(dir, 'notes.txt')
    writeFileSync(file, 'not a folder')
    const cases = [
      {
        args: ['--data-dir', dir, '--root', join(dir, 'missing')],
        says: `--root ${join(dir, 'missing')}: no such folder`,
      },
      { args: ['--data-dir', dir, '--root', file], says: `--root ${file} is a file, not a folder` },
      { args: ['--data-dir', file, '--root', dir], says: `--data-dir ${file} is a file, not a folder` },
    ]
    for (const { args, says } of cases) {
      const server = serve([...args, '--port', '0'])
      expect(await server.exit).toBe(2)
      expect(server.stderr()).toBe(`spool serve: ${says}\n`)
    }
  })

  it('npm start without Electron: stopping it stops the web host it started, so the data folder is free again', async () => {
    const start = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url))
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', start, '--data-dir', tempDir(), '--root', tempDir(), '--port', '0'],
      { env: { ...process.env, SPOOL_DASHBOARD_DIR: '/nonexistent' }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    started.add(child)
    const lines = createInterface({ input: child.stdout })
    const url = await new Promise<string>((resolve) =>
      lines.on('line', (line) => line.startsWith('Spool listening on ') && resolve(line.slice(19))),
    )
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    // The host it ran must be gone too, not left serving (and holding the queue) without its parent.
    let refused = false
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await fetch(url).then(
        () => false,
        () => true,
      )
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(refused).toBe(true)
  })
})
