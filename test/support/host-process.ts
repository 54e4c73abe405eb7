// A host process for crash tests: opens a Spool on the given data dir (with the given roots), optionally
// submits jobs, and reports on stdout (one JSON object a line) what a test needs to know to kill it at the
// right moment.
import { openSpool } from '../../src/main/jobs'

const [dataDir, specsJson, rootsJson] = process.argv.slice(2)
const roots = rootsJson ? (JSON.parse(rootsJson) as string[]) : undefined
// Asks every job to cancel as it starts, the grace period long enough to be killed first.
const cancelStarted = process.env.SPOOL_TEST_CANCEL_STARTED === '1'
const spool = await openSpool({
  dataDir: dataDir!,
  diagnostics: true,
  concurrency: 2,
  roots,
  ...(cancelStarted && { cancelGraceMs: 120_000 }),
})
spool.subscribe((batch) => {
  for (const event of batch.events) {
    if (event.type !== 'progress' && event.type !== 'queue') {
      process.stdout.write(`${JSON.stringify({ event: event.type, id: event.id })}\n`)
    }
    if (cancelStarted && event.type === 'started') void spool.cancel({ ids: [event.id] })
  }
})
const specs = specsJson ? (JSON.parse(specsJson) as Parameters<typeof spool.submit>[0] | null) : null
if (specs) await spool.submit(specs)
process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`)
