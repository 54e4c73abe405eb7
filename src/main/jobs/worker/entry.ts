import { builtinKinds } from '../kinds'
import { serveWorker } from './serve-worker'
import type { HostPort } from './worker-port'

// A worker process: find the host's port (Electron utility process or Node fork) and serve jobs on it.
const port = (process as { parentPort?: HostPort }).parentPort ?? process
serveWorker(port, builtinKinds({ diagnostics: true }))
