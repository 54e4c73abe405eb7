import { beforeEach, describe, expect, it, vi } from 'vitest'
import { contentSecurityPolicy } from '../../src/main/electron/content-security-policy'
import { denyNavigation, denyPermissions } from '../../src/main/electron/window-security'

/** Records every BrowserWindow the shell constructs, with its options. */
const windows: { options: { webPreferences?: object }; loadURL: ReturnType<typeof vi.fn> }[] = []
vi.mock('electron', () => ({
  BrowserWindow: class {
    options: object
    loadURL = vi.fn(async () => {})
    once = vi.fn()
    constructor(options: object) {
      this.options = options
      windows.push(this as never)
    }
  },
}))
beforeEach(() => void windows.splice(0))

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+(.*)/s) as [string, string]))
}

/** A `WebContents` that records the handlers the guard installs, so the test can play Chromium's part. */
function fakeContents() {
  const handlers = new Map<string, (event: { preventDefault(): void }, url: string) => void>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = {
    on: (name: string, handler: (event: { preventDefault(): void }, url: string) => void) => {
      handlers.set(name, handler)
      return contents
    },
    setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
  }
  const navigate = (name: string, url: string) => {
    const event = { preventDefault: vi.fn() }
    handlers.get(name)!(event, url)
    return event.preventDefault.mock.calls.length > 0
  }
  return {
    contents: contents as unknown as Parameters<typeof denyNavigation>[0],
    handlers,
    navigate,
    open: (url: string) => openHandler!({ url }),
  }
}

describe('window security', () => {
  it('every window is isolated, sandboxed, without Node, with web security and no webview', async () => {
    const { openSpoolWindow } = await import('../../src/main/electron/windows')
    openSpoolWindow({ preload: '/app/dist/preload/index.cjs' })
    const [window] = windows
    expect(window!.options.webPreferences).toEqual({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
    })
  })

  it('loads the page from app://, never file://, and from the dev server only when given one', async () => {
    const { openSpoolWindow } = await import('../../src/main/electron/windows')
    openSpoolWindow({ preload: '/p.cjs' })
    openSpoolWindow({ preload: '/p.cjs', devServerUrl: 'http://localhost:5173/' })
    expect(windows.map((window) => window.loadURL.mock.calls[0]![0])).toEqual([
      'app://spool/index.html',
      'http://localhost:5173/',
    ])
  })

  it('the CSP allows only the app itself: no inline or eval script, no plugins, no framing', () => {
    const csp = directives(contentSecurityPolicy())
    expect(csp.get('default-src')).toBe("'none'")
    expect(csp.get('script-src')).toBe("'self'")
    expect(csp.get('style-src')).toBe("'self'")
    expect(csp.get('connect-src')).toBe("'self'")
    expect(csp.get('object-src')).toBe("'none'")
    expect(csp.get('base-uri')).toBe("'none'")
    expect(csp.get('frame-ancestors')).toBe("'none'")
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|unsafe-inline|\*|http:|https:/)
  })

  it('only against the dev server does the CSP allow the HMR socket and injected styles', () => {
    const csp = directives(contentSecurityPolicy('http://localhost:5173'))
    expect(csp.get('connect-src')).toBe("'self' ws://localhost:5173")
    expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'")
    expect(csp.get('script-src')).toBe("'self'")
  })

  it('refuses every navigation and opens https links in the browser instead', () => {
    const { contents, navigate } = fakeContents()
    const openExternal = vi.fn()
    denyNavigation(contents, openExternal)
    expect(navigate('will-navigate', 'https://example.com/docs')).toBe(true)
    expect(openExternal).toHaveBeenCalledWith('https://example.com/docs')
    expect(navigate('will-navigate', 'app://spool/other.html')).toBe(true)
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(navigate('will-redirect', 'http://example.com/')).toBe(true)
    expect(navigate('will-attach-webview', 'https://example.com/')).toBe(true)
    expect(openExternal).toHaveBeenCalledTimes(1)
  })

  it('denies window.open, sending only https links to the browser', () => {
    const { contents, open } = fakeContents()
    const openExternal = vi.fn()
    denyNavigation(contents, openExternal)
    expect(open('https://example.com/')).toEqual({ action: 'deny' })
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' })
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(open('smb://host/share')).toEqual({ action: 'deny' })
    expect(openExternal.mock.calls).toEqual([['https://example.com/']])
  })

  it('denies every permission request and check', () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    }
    denyPermissions(session)
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (
      c: unknown,
      p: string,
      cb: (granted: boolean) => void,
    ) => void
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn()
      request({}, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
    }
    expect((session.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean)()).toBe(false)
    expect((session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean)()).toBe(false)
  })
})
