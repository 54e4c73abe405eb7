import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { commandNames } from '../../src/shared/commands'
import { commandChannel, desktopChannel, desktopMethods } from '../../src/shared/ipc-channels'
import { electronegativityGate, stageAppCode } from './electronegativity-scan'
import { escapingAppUrls } from './escaping-app-urls'
import { createFakeElectron } from './fake-electron'
import { appFrame, fakeSpool, foreignFrames, job } from './fakes'

/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), item by item,
 * against the main process as it starts: `src/main/index.ts` over a fake Electron, with the app folder staged
 * in a temp dir so that `app://` serves real files. Finer unit tests of the same pieces live beside this file
 * (window-security, app-protocol, ipc-commands, ipc-desktop, preload); the IPC fuzz is ipc-fuzz.test.ts.
 */
const appDir = mkdtempSync(join(tmpdir(), 'spool-checklist-'))
mkdirSync(join(appDir, 'dist/renderer/assets'), { recursive: true })
writeFileSync(join(appDir, 'dist/renderer/index.html'), '<!doctype html><title>Spool</title>')
writeFileSync(join(appDir, 'dist/renderer/assets/app.js'), 'console.log(1)')
// Beside the bundle, where `app://spool/../secret.txt` would lead: never to be served.
writeFileSync(join(appDir, 'dist/secret.txt'), 'secret')

const electron = createFakeElectron({ appPath: appDir })
const engine = fakeSpool()
vi.mock('electron', () => electron.module)
vi.mock('../../src/main/jobs', () => ({ openSpool: async () => engine.spool }))

type Preferences = Record<string, unknown>
const appWindows = () => electron.windows.filter((window) => window.options.webPreferences)
const preferences = () => appWindows().map((window) => window.options.webPreferences as Preferences)
const channels = [...commandNames.map(commandChannel), ...desktopMethods.map(desktopChannel)]

/** A web contents as Electron would hand it to `web-contents-created`, with the app's guards installed. */
function guardedContents() {
  const contents = new electron.module.BrowserWindow({}).webContents
  electron.module.app.emit('web-contents-created', {}, contents)
  const navigate = (name: string, url: string) => {
    const event = { preventDefault: vi.fn() }
    contents.emit(name, event, url)
    return event.preventDefault.mock.calls.length > 0
  }
  const openHandler = contents.setWindowOpenHandler.mock.calls[0]![0] as (details: { url: string }) => {
    action: string
  }
  contents.destroyed = true
  return { navigate, open: (url: string) => openHandler({ url }) }
}

/** What the app:// handler the app registered answers for a URL. */
async function serve(url: string): Promise<Response> {
  const [scheme, handler] = electron.module.protocol.handle.mock.calls[0] as unknown as [
    string,
    (request: Request) => Promise<Response>,
  ]
  expect(scheme).toBe('app')
  return handler(new Request(url))
}

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+(.*)/s) as [string, string]))
}

/** Every `shell.x(` call in the code Electron runs, as "file: shell.x". */
function shellCalls(): string[] {
  const src = join(import.meta.dirname, '../../src')
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(ts|vue)$/.test(file))
  return files.flatMap((file) =>
    [...readFileSync(join(src, file), 'utf8').matchAll(/\bshell\.(\w+)\(/g)].map(
      (match) => `${relative(src, join(src, file))}: shell.${match[1]}`,
    ),
  )
}

const hostileUrls = [
  'javascript:alert(1)',
  'file:///etc/passwd',
  'smb://attacker.example/share',
  'http://example.com/',
  'ms-msdt:/id PCWDiagnostic',
  'vscode://file/etc/passwd',
  'app://spool/other.html',
  'data:text/html,<script>1</script>',
  'about:blank',
  'not a url',
]

describe('Electron security checklist', () => {
  beforeAll(async () => {
    // As under `electron .`: argv[1] is the app, not a file handed to it.
    Object.assign(process, { defaultApp: true })
    await import('../../src/main/index')
    electron.ready()
    await vi.waitFor(() => expect(appWindows()).toHaveLength(1))
    // A second window, from File › New Window: the checks hold for every window, not only the first.
    const template = electron.module.Menu.buildFromTemplate.mock.calls[0]![0] as {
      label?: string
      submenu?: { label?: string; click?: () => void }[]
    }[]
    template.find((menu) => menu.label === 'File')!.submenu!.find((item) => item.label === 'New Window')!.click!()
    expect(appWindows()).toHaveLength(2)
  })
  afterAll(() => rmSync(appDir, { recursive: true, force: true }))

  it('1. context isolation: the preload and the page run in separate JavaScript worlds', () => {
    for (const prefs of preferences()) expect(prefs.contextIsolation).toBe(true)
  })

  it('2. sandbox: every renderer is sandboxed', () => {
    for (const prefs of preferences()) expect(prefs.sandbox).toBe(true)
  })

  it('3. Node.js integration is off in the page, its workers and its frames; no <webview>', () => {
    for (const prefs of preferences()) {
      expect(prefs).toMatchObject({
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
      })
    }
  })

  it('4. web security is on: same-origin policy, no insecure content, no experimental features', () => {
    for (const prefs of preferences()) {
      expect(prefs).toMatchObject({
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
      })
      // Defence in depth: no middle-click opening, a dropped file cannot replace the page, dialogs can be muted.
      expect(prefs).toMatchObject({ disableBlinkFeatures: 'Auxclick', navigateOnDragDrop: false, safeDialogs: true })
    }
  })

  it('5. content security policy: every app:// response carries a strict CSP; nothing weakens it in production', async () => {
    for (const url of ['app://spool/index.html', 'app://spool/missing.js', 'app://spool/../secret.txt']) {
      const response = await serve(url)
      const csp = directives(response.headers.get('content-security-policy') ?? '')
      expect(csp.get('default-src'), url).toBe("'none'")
      expect(csp.get('script-src')).toBe("'self'")
      expect(csp.get('style-src')).toBe("'self'")
      expect(csp.get('connect-src')).toBe("'self'")
      for (const directive of ['object-src', 'base-uri', 'form-action', 'frame-ancestors']) {
        expect(csp.get(directive)).toBe("'none'")
      }
      expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-|\*|http:|https:/)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    }
    expect(electron.session.webRequest.onHeadersReceived).not.toHaveBeenCalled()
  })

  it('6. custom protocol: pages load from app://, a secure scheme registered before ready, serving only the bundle', async () => {
    expect(electron.calls[0]).toBe('register scheme')
    expect(electron.module.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
    for (const window of appWindows()) expect(window.loadURL).toHaveBeenCalledWith('app://spool/index.html')
    expect(appWindows().flatMap((window) => window.loadURL.mock.calls.flat())).not.toContainEqual(
      expect.stringMatching(/^file:/),
    )
    const page = await serve('app://spool/index.html')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Spool</title>')
    for (const url of escapingAppUrls) {
      const response = await serve(url)
      expect(response.status, url).toBe(404)
      expect(await response.text()).not.toContain('secret')
    }
  })

  it('7. navigation is refused for every web contents the app creates, and no webview can be attached', () => {
    const { navigate } = guardedContents()
    for (const url of ['https://example.com/', 'app://spool/index.html', ...hostileUrls]) {
      expect(navigate('will-navigate', url), url).toBe(true)
      expect(navigate('will-redirect', url), url).toBe(true)
    }
    expect(navigate('will-attach-webview', 'https://example.com/')).toBe(true)
  })

  it('8. new windows are refused: window.open and target=_blank never open a window', () => {
    const { open } = guardedContents()
    for (const url of ['https://example.com/', 'app://spool/index.html', ...hostileUrls]) {
      expect(open(url), url).toEqual({ action: 'deny' })
    }
  })

  it('9. permissions: every permission request, check and device request is denied', () => {
    const request = (electron.session.setPermissionRequestHandler.mock.calls[0] as unknown[])[0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void
    const permissions = ['media', 'geolocation', 'notifications', 'midi', 'clipboard-read', 'openExternal', 'hid']
    for (const permission of permissions) {
      const callback = vi.fn()
      request({}, permission, callback)
      expect(callback, permission).toHaveBeenCalledWith(false)
    }
    const check = electron.session.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean
    const device = electron.session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean
    expect(check()).toBe(false)
    expect(device()).toBe(false)
  })

  it('10. IPC: every handler the app registers refuses every foreign sender before reading its message', async () => {
    expect([...electron.handlers.keys()].sort()).toEqual([...channels].sort())
    // Fire-and-forget listeners would bypass the guarded invoke handlers.
    expect(electron.listeners).toEqual([])
    const spies = Object.values(engine.spool).filter((value) => vi.isMockFunction(value))
    const calls = () => spies.map((spy) => spy.mock.calls.length)
    const before = calls()
    for (const [channel, handler] of electron.handlers) {
      for (const frame of [...foreignFrames, null]) {
        expect(() => handler({ senderFrame: frame }, { ids: ['1'] }), `${channel} from ${frame?.url}`).toThrow(
          /^Refused/,
        )
      }
    }
    expect(calls()).toEqual(before)
    expect(electron.module.dialog.showOpenDialog).not.toHaveBeenCalled()
    expect(electron.module.shell.openPath).not.toHaveBeenCalled()
    expect(electron.module.shell.showItemInFolder).not.toHaveBeenCalled()
    // The same handler answers Spool's own page: the refusal is about the sender.
    await expect(electron.handlers.get(commandChannel('kinds'))!({ senderFrame: appFrame })).resolves.toEqual({
      ok: true,
      value: [],
    })
  })

  it('11. the shell opens only https links the user followed, and only the outputs of finished jobs', async () => {
    const openExternal = electron.module.shell.openExternal
    openExternal.mockClear()
    const { navigate, open } = guardedContents()
    for (const url of hostileUrls) {
      navigate('will-navigate', url)
      navigate('will-redirect', url)
      open(url)
    }
    expect(openExternal).not.toHaveBeenCalled()
    open('https://example.com/docs')
    expect(openExternal.mock.calls).toEqual([['https://example.com/docs']])
    // A window names a job, never a path: the path comes from the job's own result.
    const openOutput = electron.handlers.get(desktopChannel('openOutput'))!
    expect(await openOutput({ senderFrame: appFrame }, '/etc/passwd')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    const outputs = { outputs: [{ path: '/home/user/out/a.mp3', size: 1 }] }
    engine.spool.get.mockResolvedValueOnce(job('4', { state: 'failed', result: outputs }))
    expect(await openOutput({ senderFrame: appFrame }, '4')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(electron.module.shell.openPath).not.toHaveBeenCalled()
    engine.spool.get.mockResolvedValueOnce(job('5', { state: 'succeeded', result: outputs }))
    expect(await openOutput({ senderFrame: appFrame }, '5')).toEqual({ ok: true })
    expect(electron.module.shell.openPath.mock.calls).toEqual([['/home/user/out/a.mp3']])
    // Every use of the shell in the code, so that a new one is reviewed here before it ships.
    expect(shellCalls().sort()).toEqual([
      'main/electron/native-shell.ts: shell.openPath',
      'main/electron/native-shell.ts: shell.showItemInFolder',
      'main/electron/start-app.ts: shell.openExternal',
    ])
  })

  describe('12. Electronegativity', () => {
    const staged = mkdtempSync(join(tmpdir(), 'spool-eng-'))
    afterAll(() => rmSync(staged, { recursive: true, force: true }))

    it('finds nothing of MEDIUM or HIGH severity in the app code that is not justified', async () => {
      stageAppCode(join(staged, 'app'))
      const result = await electronegativityGate(join(staged, 'app'))
      expect(result.errors).toEqual([])
      expect(result.blocking).toEqual([])
    }, 60_000)

    it('is not vacuous: an insecure window is caught', async () => {
      mkdirSync(join(staged, 'insecure'))
      writeFileSync(
        join(staged, 'insecure', 'main.js'),
        "const { BrowserWindow } = require('electron')\n" +
          'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })\n',
      )
      const { blocking } = await electronegativityGate(join(staged, 'insecure'))
      for (const check of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']) {
        expect(blocking.some((line) => line.includes(check))).toBe(true)
      }
    }, 60_000)
  })
})
