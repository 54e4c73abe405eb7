// The event-loop baseline's sender: reports progress at a fixed rate in 1 ms bursts, straight to the parent.
const [rate, seconds] = process.argv.slice(2).map(Number) as [number, number]
const total = rate * seconds
const started = Date.now()
let sent = 0
const timer = setInterval(() => {
  const due = Math.min(total, Math.floor(((Date.now() - started) * rate) / 1000))
  while (sent < due) process.send?.({ t: 'progress', jobId: '1', progress: { done: ++sent, total, unit: 'steps' } })
  if (sent >= total) {
    clearInterval(timer)
    process.send?.({ t: 'done' }, () => process.exit(0))
  }
}, 1)
