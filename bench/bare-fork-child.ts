// The baseline's worker: a bare forked child that answers each message at once, with no framework at all.
process.on('message', (message: { id: number }) => {
  process.send?.({ id: message.id, done: true })
})
process.send?.({ ready: true })
