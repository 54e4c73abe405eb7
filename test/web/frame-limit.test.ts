import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { openSpool, type Spool } from '../../src/main/jobs'
import { startWebHost, type WebHost } from '../../src/main/web/web-host'
import { useTempDir } from '../support/temp-dir'
import { openSocket } from './socket-client'

const tempDir = useTempDir('spool-frames-')
let spool: Spool
let host: WebHost

afterEach(async () => {
  await host.close()
  await spool.close()
})

it('a frame over the size limit closes that socket with 1009 and the host keeps serving others', async () => {
  const root = tempDir()
  spool = await openSpool({ dataDir: join(root, 'data'), roots: [root] })
  host = await startWebHost({ spool, roots: [root], port: 0, maxPayloadBytes: 64 * 1024 })
  const big = await openSocket(host.port, host.token)
  big.raw.send(JSON.stringify({ id: 1, command: 'get', params: 'x'.repeat(100 * 1024) }))
  expect((await big.closed).code).toBe(1009)
  const next = await openSocket(host.port, host.token)
  expect(await next.call('kinds')).toMatchObject({ id: 1, ok: true })
  next.close()
})
