import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { SqliteDatabase } from './open-database'

/** How often the thread copies the write-ahead log into the database file. */
const everyMs = 250
/**
 * The main connection's own limit, in pages of 4 KiB: it checkpoints by itself only if the thread cannot keep
 * up or is gone, so the log never grows without bound.
 */
const fallbackPages = 16_384
/** The log file is cut back to this size after a checkpoint that emptied it. */
const journalLimitBytes = 64 * 1024 * 1024

// Plain CommonJS, run with `eval`: it needs no build step, in a checkout, a bundle or the packaged app.
const threadSource = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const options = workerData.addon ? { nativeBinding: workerData.addon, fileMustExist: true } : { fileMustExist: true }
const db = new Database(workerData.file, options)
db.pragma('busy_timeout = 5000')
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {}
}
const timer = setInterval(checkpoint, workerData.everyMs)
parentPort.on('message', () => {
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
parentPort.postMessage('ready')
`

/**
 * Copies the write-ahead log into the database file on a thread of its own. A checkpoint writes many pages and
 * waits for the disk to confirm them (fsync); on the main thread that would stall the event loop and every
 * job's bookkeeping each time the log filled. Commits on the main connection then only append to the log.
 * If the thread cannot start, the main connection checkpoints as SQLite always does.
 */
export class CheckpointThread {
  #worker: Worker | null = null
  #stopped = false

  /**
   * `startAfter`: the thread starts once it settles. Loading SQLite into a new thread takes a core for a moment,
   * which at start-up the first worker processes need more (the main connection checkpoints by itself meanwhile).
   */
  constructor(db: SqliteDatabase, options: { sqliteAddon?: string; startAfter?: Promise<unknown> } = {}) {
    const start = () => {
      if (!this.#stopped) this.#start(db, options.sqliteAddon)
    }
    if (options.startAfter) void options.startAfter.then(start, start)
    else start()
  }

  #start(db: SqliteDatabase, sqliteAddon: string | undefined): void {
    if (!db.open) return
    try {
      const module = createRequire(import.meta.url).resolve('better-sqlite3')
      this.#worker = new Worker(threadSource, {
        eval: true,
        workerData: { file: db.name, module, addon: sqliteAddon, everyMs },
      })
    } catch (error) {
      console.error('Spool checkpoints on its main thread (the checkpoint thread could not start):', error)
      return
    }
    this.#worker.unref()
    this.#worker.once('message', () => {
      if (!db.open) return
      db.pragma(`wal_autocheckpoint = ${fallbackPages}`)
      db.pragma(`journal_size_limit = ${journalLimitBytes}`)
    })
    this.#worker.on('error', (error) => {
      // Spool closed before the thread opened its connection (the folder may even be gone): nothing to say.
      if (this.#stopped || !db.open) return
      db.pragma('wal_autocheckpoint = 1000')
      console.error('Spool checkpoints on its main thread (the checkpoint thread failed):', error)
    })
  }

  /**
   * Ends the thread after a last checkpoint (call after the main connection closed); resolves once it has
   * closed its connection, so that the files are settled when Spool says it is closed.
   */
  async stop(): Promise<void> {
    this.#stopped = true
    const worker = this.#worker
    if (!worker) return
    // Held until it ends: closing must not leave the process with nothing to wait for but an unreferenced thread.
    worker.ref()
    const exited = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000)
      worker.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
    })
    worker.postMessage('stop')
    await exited
  }
}
