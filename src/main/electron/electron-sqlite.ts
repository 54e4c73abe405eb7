import { app } from 'electron'
import { createRequire } from 'node:module'
import { appPaths } from './app-paths'

// The Electron build links `better-sqlite3` to this module (see vite.config.ts): the same library, loaded
// with its addon compiled for Electron's ABI, while node_modules keeps the Node build that tests use.
const require = createRequire(import.meta.url)
const Database = require('better-sqlite3') as typeof import('better-sqlite3')

type Options = ConstructorParameters<typeof Database>[1]

function ElectronDatabase(file: string, options?: Options) {
  return new Database(file, { nativeBinding: appPaths(app, process.resourcesPath).sqliteAddon, ...options })
}
ElectronDatabase.prototype = Database.prototype

export default ElectronDatabase as unknown as typeof Database
