// A host process for crash tests: opens a Spool on the given data dir (with the given roots), optionally
// submits jobs, and reports on stdout (one JSON object a line) what a test needs to know to kill it at the
// right moment.
import { openSpool } from '../../src/main/jobs'

const [dataDir, specsJson, rootsJson] = process.argv.slice(2)
const roots = rootsJson ? (JSON.parse(rootsJson) as string[]) : undefined
const spool = await openSpool({ dataDir: dataDir!, diagnostics: true, concurrency: 2, roots })
spool.subscribe((batch) => {
  for (const event of batch.events) {
    if (event.type !== 'progress' && event.type !== 'queue') {
      process.stdout.write(`${JSON.stringify({ event: event.type, id: event.id })}\n`)
    }
  }
})
const specs = specsJson ? (JSON.parse(specsJson) as Parameters<typeof spool.submit>[0] | null) : null
if (specs) await spool.submit(specs)
process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`)
