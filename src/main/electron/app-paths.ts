import type { App } from 'electron'
import { join } from 'node:path'

/** Where the built pieces live: beside each other under `dist/` in a checkout and inside `app.asar` when packaged. */
export interface AppPaths {
  preload: string
  renderer: string
  workerEntry: string
  /** The better-sqlite3 addon built for Electron's ABI (see docs/electron.md). */
  sqliteAddon: string
  /** The job database folder. */
  dataDir: string
}

export function appPaths(app: Pick<App, 'getAppPath' | 'getPath' | 'isPackaged'>, resourcesPath: string): AppPaths {
  const root = app.getAppPath()
  return {
    preload: join(root, 'dist/preload/index.cjs'),
    renderer: join(root, 'dist/renderer'),
    workerEntry: join(root, 'dist/worker/entry.cjs'),
    sqliteAddon: app.isPackaged
      ? join(resourcesPath, 'native/better_sqlite3.node')
      : join(root, 'dist/native/better_sqlite3.node'),
    dataDir: join(app.getPath('userData'), 'jobs'),
  }
}
