import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { basename } from 'node:path'
import { pipeline } from 'node:stream'
import type { PathPolicy } from '../jobs/path-policy'
import type { Spool } from '../jobs/types'

function outputPath(result: unknown, index: number): string | undefined {
  const outputs = (result as { outputs?: unknown } | null)?.outputs
  if (!Array.isArray(outputs)) return undefined
  const path = (outputs[index] as { path?: unknown } | undefined)?.path
  return typeof path === 'string' ? path : undefined
}

/** Sends a finished job's output file, if it still exists and lies under a root; the path comes from the job. */
export async function serveDownload(spool: Spool, policy: PathPolicy, url: URL, res: ServerResponse): Promise<void> {
  const id = url.searchParams.get('job') ?? ''
  const index = Number(url.searchParams.get('output') ?? '0')
  const job = /^[1-9][0-9]{0,15}$/.test(id) && Number.isInteger(index) && index >= 0 ? await spool.get(id) : null
  const path = job?.state === 'succeeded' ? outputPath(job.result, index) : undefined
  let file: string | undefined
  try {
    file = path === undefined ? undefined : policy.checkRead(path)
  } catch {
    file = undefined
  }
  if (!file || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('No such output')
    return
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': statSync(file).size,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(basename(file))}`,
    'Cache-Control': 'no-store',
  })
  // Unlike pipe(), pipeline closes the file when the client goes away and reports a read error instead of
  // throwing it: the response is cut short, the descriptor released.
  pipeline(createReadStream(file), res, () => {})
}
