import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Debian's chromium; CI installs it, and these tests never download a browser. */
export const chromiumPath = process.env.SPOOL_CHROMIUM ?? '/usr/bin/chromium'

/** Outside CI a machine without chromium skips the browser suite (with a message); in CI it must run. */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true
  if (process.env.CI) throw new Error(`CI must run the browser tests, but ${chromiumPath} is missing`)
  console.warn(`Skipping the browser end-to-end tests: no chromium at ${chromiumPath} (set SPOOL_CHROMIUM)`)
  return false
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}
