/** The part of Electron's `WebFrameMain` the guard reads. */
export interface SenderFrame {
  readonly url: string
  readonly parent: SenderFrame | null
}

/** Where Spool's own pages come from: the `app://` scheme in production, the vite dev server in development. */
export interface AppOrigin {
  scheme: string
  host: string
  /** Set only when running against the dev server. */
  devServerUrl?: string
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * Whether a message comes from Spool's own top-level page. `new URL('app://spool').origin` is `'null'` for
 * a non-special scheme, so protocol and host are compared instead of origins. No frame (it navigated or was
 * destroyed while the message was in flight) and any iframe are refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, origin: AppOrigin): boolean {
  if (!frame || frame.parent !== null) return false
  const url = parse(frame.url)
  if (!url) return false
  if (url.protocol === `${origin.scheme}:` && url.host === origin.host) return true
  if (!origin.devServerUrl) return false
  const dev = parse(origin.devServerUrl)
  return dev !== null && url.protocol === dev.protocol && url.host === dev.host
}
