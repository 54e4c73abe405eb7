import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import {
  appOrigin,
  handleAppProtocol,
  registerAppScheme,
  resolveAppFile,
  serveAppRequest,
} from '../../src/main/electron/app-protocol'
import { escapingAppUrls } from './escaping-app-urls'

const base = mkdtempSync(join(tmpdir(), 'spool-protocol-'))
const root = join(base, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Spool</title>')
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
writeFileSync(join(base, 'secret.txt'), 'secret')
afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme before ready', () => {
    const registerSchemesAsPrivileged = vi.fn()
    registerAppScheme({ registerSchemesAsPrivileged })
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
  })

  it('maps app://spool/ paths into the renderer folder', () => {
    expect(resolveAppFile(root, 'app://spool/')).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://spool/assets/app.js?v=1#x')).toBe(join(root, 'assets', 'app.js'))
  })

  it.each(escapingAppUrls)('never serves anything outside the renderer folder for %s', async (url) => {
    const file = resolveAppFile(root, url)
    if (file !== null) expect(file.startsWith(join(root, '/'))).toBe(true)
    const response = await serveAppRequest(root, url)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('secret')
  })

  it('serves files with their type, nosniff and the CSP on every response', async () => {
    const page = await serveAppRequest(root, 'app://spool/index.html')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<title>Spool</title>')
    const script = await serveAppRequest(root, 'app://spool/assets/app.js')
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const escaped = await serveAppRequest(root, 'app://spool/%2e%2e/secret.txt')
    expect(escaped.status).toBe(404)
    expect(escaped.headers.get('content-security-policy')).toBeTruthy()
    expect((await serveAppRequest(root, 'app://spool/missing.js')).status).toBe(404)
  })

  it('handles the app scheme through protocol.handle', async () => {
    const handle = vi.fn()
    handleAppProtocol({ handle }, root)
    expect(handle.mock.calls[0]![0]).toBe(appOrigin.scheme)
    const respond = handle.mock.calls[0]![1] as (request: { url: string }) => Promise<Response>
    expect((await respond({ url: 'app://spool/index.html' })).status).toBe(200)
  })
})
