import { builtinKinds } from '../src/main/jobs/kinds'
import { serveWorker } from '../src/main/jobs/worker/serve-worker'
import type { HostPort } from '../src/main/jobs/worker/worker-port'
import { benchKinds } from './bench-kinds'

// The benchmarks' worker: Spool's own worker entry, serving the benchmark kinds too.
serveWorker((process as { parentPort?: HostPort }).parentPort ?? process, [
  ...builtinKinds({ diagnostics: true }),
  ...benchKinds,
])
