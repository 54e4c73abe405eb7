import { statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basename, dirname } from 'node:path'
import type { PathPolicy } from '../jobs/path-policy'
import type { Spool } from '../jobs/types'
import { sendFile } from './send-file'

function outputPath(result: unknown, index: number): string | undefined {
  const outputs = (result as { outputs?: unknown } | null)?.outputs
  if (!Array.isArray(outputs)) return undefined
  const path = (outputs[index] as { path?: unknown } | undefined)?.path
  return typeof path === 'string' ? path : undefined
}

/**
 * Sends a finished job's output file, if it still exists and lies under a root; the path comes from the job.
 * A download cut off resumes where it stopped (a byte range, checked against the file's ETag).
 */
export async function serveDownload(
  spool: Spool,
  policy: PathPolicy,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
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
  const missing = (): void => {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('No such output')
  }
  if (!file || !statSync(file, { throwIfNoEntry: false })?.isFile()) return missing()
  const name = basename(file)
  sendFile(req, res, {
    root: dirname(file),
    path: `/${encodeURIComponent(name)}`,
    dotfiles: 'allow',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    },
    missing,
  })
}
