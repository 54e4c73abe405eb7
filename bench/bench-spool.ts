import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtinKinds, NodeWorkerLauncher, openSpool, type Spool, type SpoolOptions } from '../src/main/jobs'
import { benchKinds } from './bench-kinds'
import { builtWorker } from './worker-build'

const workerSource = fileURLToPath(new URL('./bench-worker.ts', import.meta.url))

/**
 * Options for a Spool that runs the built-in, diagnostic and benchmark kinds in its worker processes: the
 * bundled worker that `npm run bench` builds first, else (a script run on its own) the source through tsx.
 */
export function benchSpoolOptions(dataDir: string, options: Partial<SpoolOptions> = {}): SpoolOptions {
  const launcher = existsSync(builtWorker)
    ? new NodeWorkerLauncher({ entry: builtWorker, execArgv: [] })
    : new NodeWorkerLauncher({ entry: workerSource, execArgv: ['--import', 'tsx'] })
  return {
    concurrency: 2,
    diagnostics: true,
    kinds: [...builtinKinds({ diagnostics: true }), ...benchKinds],
    launcher,
    ...options,
    dataDir,
  }
}

/** Runs `use` with a fresh Spool on a temporary data dir, closing it and removing the dir afterwards. */
export async function withBenchSpool<T>(options: Partial<SpoolOptions>, use: (spool: Spool) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spool-bench-'))
  const spool = await openSpool(benchSpoolOptions(dataDir, options))
  try {
    return await use(spool)
  } finally {
    await spool.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Resolves once a job has started on a worker and all its workers are up, so later timings leave out start-up. */
export async function warmUp(spool: Spool, jobs = 4): Promise<void> {
  const ids = await spool.submit(Array.from({ length: jobs }, () => ({ kind: 'debug.sleep', input: { ms: 0 } })))
  await Promise.all(ids.map((id) => spool.wait(id)))
}
