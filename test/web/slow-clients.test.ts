import { describe, expect, it } from 'vitest'
import { useTempDir } from '../support/temp-dir'
import { useWebHost } from './use-web-host'
import { eventually, useSpool } from '../support/test-spool'
import { openSocket } from './socket-client'

describe('clients that fall behind or rush ahead', () => {
  const open = useSpool()
  const tempDir = useTempDir()
  const startHost = useWebHost()

  it('a client that stops reading is closed 1013 once it falls too far behind; the others get every batch', async () => {
    const root = tempDir()
    const { spool } = await open({ roots: [root] })
    await spool.pause()
    const host = await startHost({ spool, roots: [root], dashboardDir: tempDir(), maxBufferedBytes: 8 * 1024 * 1024 })
    const stalled = await openSocket(host.port, host.token)
    stalled.raw.pause()
    const reading = await openSocket(host.port, host.token)
    // 40 MB of `added` events in batches of 1 MB: more than the kernel's socket buffers and the host's limit
    // hold for a client that reads nothing.
    const padding = 'x'.repeat(40_000)
    for (let i = 0; i < 40; i++) {
      const specs = Array.from({ length: 25 }, () => ({ kind: 'debug.sleep', input: { ms: 0, result: { padding } } }))
      await spool.submit(specs)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const added = () => reading.batches.flatMap((batch) => batch.events).filter((event) => event.type === 'added')
    await eventually(() => added().length === 1000)
    expect(await Promise.race([reading.closed, 'open'])).toBe('open')
    const seqs = reading.batches.map((batch) => batch.seq)
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i))
    stalled.raw.resume()
    const stillOpen = new Promise((resolve) => setTimeout(() => resolve('still open'), 10_000))
    expect(await Promise.race([stalled.closed, stillOpen])).toMatchObject({ code: 1013 })
    expect(await reading.call('kinds')).toMatchObject({ ok: true })
    reading.close()
  }, 60_000)

  it('a burst of 3,000 requests sent without waiting is answered in full, each submit once', async () => {
    const root = tempDir()
    const { spool } = await open({ roots: [root] })
    await spool.pause()
    const host = await startHost({ spool, roots: [root], dashboardDir: tempDir() })
    const client = await openSocket(host.port, host.token)
    const calls = Array.from({ length: 3000 }, (_, i) =>
      i % 3 === 0
        ? client.call('submit', [{ kind: 'debug.sleep', input: { ms: 0 }, label: `burst ${i}` }])
        : client.call('get', '1'),
    )
    const answers = await Promise.race([Promise.all(calls), client.closed.then((closed) => closed)])
    if (!Array.isArray(answers)) expect.fail(`the host closed the socket: ${answers.code} ${answers.reason}`)
    expect(answers.filter((answer) => !answer.ok)).toEqual([])
    const ids = answers.filter((_, i) => i % 3 === 0).flatMap((answer) => (answer.ok ? answer.value : []))
    expect(new Set(ids).size).toBe(1000)
    expect((await spool.snapshot()).counts.queued).toBe(1000)
    client.close()
  }, 60_000)

  it('a client whose answers pile up faster than it reads them is slowed down, not cut off', async () => {
    const root = tempDir()
    const { spool } = await open({ roots: [root] })
    await spool.pause()
    const host = await startHost({ spool, roots: [root], dashboardDir: tempDir(), maxBufferedBytes: 1024 * 1024 })
    const padding = 'x'.repeat(10_000)
    await spool.submit(
      Array.from({ length: 20 }, () => ({ kind: 'debug.sleep', input: { ms: 0, result: { padding } } })),
    )
    const client = await openSocket(host.port, host.token)
    // 150 pages of 200 kB asked at once: 30 MB of answers, thirty times what the host lets wait unsent.
    const pages = Array.from({ length: 150 }, () => client.call('list', { limit: 20 }))
    const answers = await Promise.race([Promise.all(pages), client.closed])
    if (!Array.isArray(answers)) expect.fail(`the host closed the socket: ${answers.code} ${answers.reason}`)
    expect(answers.every((answer) => answer.ok && (answer.value as { jobs: unknown[] }).jobs.length === 20)).toBe(true)
    client.close()
  }, 60_000)
})
