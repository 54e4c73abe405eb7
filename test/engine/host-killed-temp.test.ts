import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { workerTempRoot } from '../../src/main/jobs/worker/worker-temp'
import { startHost } from '../support/host-runner'
import { descendants, isRunning, treeExited, useLeftoverProcesses } from '../support/processes'
import { useTempDir } from '../support/temp-dir'
import { eventually, useSpool } from '../support/test-spool'

// Jobs that write into their temp folder, then run until killed.
const specs = [
  { kind: 'debug.fail', input: { mode: 'hang', tempFile: true } },
  { kind: 'debug.fail', input: { mode: 'orphan', tempFile: true } },
]

describe('a host killed while its jobs have temp files', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const killed = useLeftoverProcesses()

  async function hostWithTempFiles(dataDir: string) {
    const host = startHost(dataDir, specs)
    const { ready } = await host.next((line) => line.ready !== undefined)
    killed.push(ready!)
    await host.next((line) => line.event === 'started')
    // Both workers have written their job's temp file.
    const roots = await eventually(() => {
      const found = descendants(ready!)
        .map(workerTempRoot)
        .filter((root) => existsSync(root) && readdirSync(root).length > 0)
      return found.length === 2 && found
    }, 60_000)
    const tree = descendants(ready!)
    killed.push(...tree)
    return { host, tree, roots }
  }

  it('leaves no temp folder once its workers notice and exit', { timeout: 90_000 }, async () => {
    const dataDir = tempDir()
    const { host, tree, roots } = await hostWithTempFiles(dataDir)
    host.child.kill('SIGKILL')
    await treeExited(tree)
    // A folder left is named with what it holds (whose job), for whoever reads a failure.
    const left = roots.filter(existsSync).map((root) => `${root}: ${readdirSync(root, { recursive: true }).join(', ')}`)
    expect(left).toEqual([])
  })

  it('killed together with its workers, leaves temp folders the next start removes', { timeout: 90_000 }, async () => {
    const dataDir = tempDir()
    const { host, tree, roots } = await hostWithTempFiles(dataDir)
    const exited = new Promise((resolve) => host.child.once('exit', resolve))
    // Stopped first, all of them: killed one after another, the first to die could be noticed by the others
    // (a worker whose host is gone cleans up, as does a host whose worker died) before their own kill arrives.
    const all = [host.child.pid!, ...tree]
    for (const pid of all) process.kill(pid, 'SIGSTOP')
    for (const pid of all) process.kill(pid, 'SIGKILL')
    await exited
    await eventually(() => tree.every((pid) => !isRunning(pid)))
    expect(roots.filter(existsSync)).toEqual(roots)

    await open({ dataDir, startPaused: true })
    await eventually(() => roots.every((root) => !existsSync(root)))
  })
})
