import { expect, it } from 'vitest'
import { encodeAnswer } from '../../src/main/web/socket-session'

// A `list` of 555 jobs whose inputs are 1 MB each is over V8's longest string as JSON: JSON.stringify throws
// "Invalid string length" and the host, which answered from a promise callback, died of the rejection. That
// takes half a gigabyte to reproduce; a value JSON cannot hold at all fails the same way, at no cost.
it('an answer that cannot be sent as JSON becomes a typed error for the same request', () => {
  const text = encodeAnswer('list', { id: 7, ok: true, value: { jobs: [{ id: '1', size: 1n }] } })
  expect(JSON.parse(text)).toEqual({
    id: 7,
    ok: false,
    error: { code: 'INVALID_INPUT', message: expect.stringContaining('too large to send') },
  })
  expect(JSON.parse(encodeAnswer('get', { id: 'a', ok: true, value: null }))).toEqual({
    id: 'a',
    ok: true,
    value: null,
  })
})
