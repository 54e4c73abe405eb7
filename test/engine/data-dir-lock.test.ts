import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startHost } from '../support/host-runner'
import { descendantsOnce, treeExited } from '../support/processes'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'
import { openSpool } from '../../src/main/jobs'

const storedJob = (dataDir: string) => {
  const db = new Database(join(dataDir, 'spool.db'), { readonly: true })
  try {
    return db.prepare('SELECT state, attempts FROM jobs').get() as { state: string; attempts: number }
  } finally {
    db.close()
  }
}

describe('one Spool per data folder', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const hosts: { kill(signal: NodeJS.Signals): boolean }[] = []
  afterEach(() => {
    for (const host of hosts.splice(0)) host.kill('SIGKILL')
  })

  it('a second Spool on a folder another process runs is refused, naming the folder, and takes none of its jobs', async () => {
    const dataDir = tempDir()
    const host = startHost(dataDir, [{ kind: 'debug.sleep', input: { ms: 30_000, steps: 300 } }])
    hosts.push(host.child)
    await host.next((line) => line.event === 'started')

    const second = openSpool({ dataDir, diagnostics: true, concurrency: 1 })
    await expect(second).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    await expect(second).rejects.toThrow(dataDir)
    // Had it opened, it would have taken the running job for one a crash left behind and run it again.
    expect(storedJob(dataDir)).toEqual({ state: 'running', attempts: 1 })
  })

  it('a folder whose Spool was killed opens at once, and its job resumes', { timeout: 90_000 }, async () => {
    const dataDir = tempDir()
    const host = startHost(dataDir, [{ kind: 'debug.sleep', input: { ms: 30_000, steps: 300 } }])
    hosts.push(host.child)
    const { ready } = await host.next((line) => line.ready !== undefined)
    await host.next((line) => line.event === 'started')
    const tree = [ready!, ...(await descendantsOnce(ready!, 1))]
    host.child.kill('SIGKILL')
    await treeExited(tree)

    const { spool } = await open({ dataDir, startPaused: true })
    const [job] = (await spool.list({})).jobs
    expect(job).toMatchObject({ state: 'queued', attempts: 1 })
  })

  it('a second Spool in the same process is refused until the first is closed', async () => {
    const first = await open()
    await expect(openSpool({ dataDir: first.dataDir })).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    const second = await first.reopen()
    expect(await second.spool.kinds()).not.toEqual([])
  })

  it('a Spool that fails to open leaves the folder free', async () => {
    const dataDir = tempDir()
    await (await openSpool({ dataDir })).close()
    const db = new Database(join(dataDir, 'spool.db'))
    const version = db.pragma('user_version', { simple: true }) as number
    db.pragma('user_version = 999')
    await expect(openSpool({ dataDir })).rejects.toThrow(/newer Spool/)
    db.pragma(`user_version = ${version}`)
    db.close()
    const { spool } = await open({ dataDir })
    expect(await spool.kinds()).not.toEqual([])
  })

  it('a lock file with garbage in it does not stop Spool from starting, and still keeps a second one out', async () => {
    const dataDir = tempDir()
    writeFileSync(join(dataDir, 'spool.lock'), Buffer.alloc(5000, 9))
    const { spool } = await open({ dataDir })
    expect(await spool.kinds()).not.toEqual([])
    writeFileSync(join(dataDir, 'spool.lock'), Buffer.alloc(5000, 9))
    await expect(openSpool({ dataDir })).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  })
})
