import type { IncomingMessage, ServerResponse } from 'node:http'
import send from 'send'

export interface SendFileOptions {
  /** The folder `path` is under; `path` is URL-encoded, as in a request (send decodes it and refuses `..`). */
  root: string
  path: string
  /** Headers set as they are, before send's own (which it then leaves). */
  headers?: Record<string, string>
  /** How long a browser may keep it without asking again; without it, `no-store` unless `headers` say. */
  maxAgeMs?: number
  /** Dotfiles are served only when allowed (a job's output may be one); otherwise there is no such file. */
  dotfiles?: 'allow' | 'ignore'
  /** Called instead of answering when there is no such file (or it may not be named), for the caller's 404. */
  missing: () => void
}

/**
 * Sends one file as a browser expects of a file server (the `send` package): byte ranges, so a download cut
 * off can resume where it stopped; `ETag` and `Last-Modified`, answered 304 while unchanged; `HEAD`. The file
 * is closed when the client goes away.
 */
export function sendFile(req: IncomingMessage, res: ServerResponse, options: SendFileOptions): void {
  const maxAge = options.maxAgeMs !== undefined
  send(req, options.path, {
    root: options.root,
    dotfiles: options.dotfiles ?? 'ignore',
    index: false,
    cacheControl: maxAge,
    maxAge: options.maxAgeMs ?? 0,
    immutable: maxAge,
  })
    .on('headers', (response: ServerResponse) => {
      if (!maxAge) response.setHeader('Cache-Control', 'no-store')
      for (const [name, value] of Object.entries(options.headers ?? {})) response.setHeader(name, value)
    })
    // A folder is no file to send (send would redirect to its name with a slash, then refuse that).
    .on('directory', () => options.missing())
    .on('error', (error: { status?: number; headers?: Record<string, string> }) => {
      const status = error.status ?? 500
      // A read that fails once bytes are on their way can only cut the response short.
      if (res.headersSent) return void res.destroy()
      if (status === 403 || status === 404) return options.missing()
      // 416 (a range past the end) carries `Content-Range: bytes */size`, so the client learns the size.
      for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value)
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(statusText(status))
    })
    .pipe(res)
}

function statusText(status: number): string {
  if (status === 412) return 'The file changed'
  if (status === 416) return 'No such range of the file'
  if (status === 400) return 'Bad request'
  return 'Could not read the file'
}
