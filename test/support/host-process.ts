// A host process for crash tests: opens a Spool on the given data dir, optionally submits jobs, and reports
// on stdout (one JSON object a line) what a test needs to know to kill it at the right moment.
import { openSpool } from '../../src/main/jobs'

const [dataDir, specsJson] = process.argv.slice(2)
const spool = await openSpool({ dataDir: dataDir!, diagnostics: true, concurrency: 2 })
spool.subscribe((batch) => {
  for (const event of batch.events) {
    if (event.type !== 'progress' && event.type !== 'queue') {
      process.stdout.write(`${JSON.stringify({ event: event.type, id: event.id })}\n`)
    }
  }
})
if (specsJson) await spool.submit(JSON.parse(specsJson))
process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`)
