import { describe, expect, it, type Mock } from 'vitest'
import { commandNames, type CommandName } from '../../src/shared/commands'
import { SpoolError } from '../../src/shared/errors'
import { commandChannel } from '../../src/shared/ipc-channels'
import { registerCommandHandlers } from '../../src/main/ipc/command-handlers'
import type { AppOrigin, SenderFrame } from '../../src/main/ipc/sender-guard'
import { createWindowSpool } from '../../src/preload/window-spool'
import { appFrame, fakeIpcMain, fakeIpcRenderer, fakeSpool } from './fakes'

const origin: AppOrigin = { scheme: 'app', host: 'spool' }

const validParams: Record<CommandName, unknown> = {
  submit: [{ kind: 'debug.sleep', input: { ms: 1 } }],
  cancel: { all: true },
  retry: { ids: ['1'] },
  remove: { ids: ['1'] },
  get: '1',
  list: { states: ['queued'] },
  snapshot: undefined,
  pause: undefined,
  resume: undefined,
  setConcurrency: 3,
  kinds: undefined,
}

const badParams: Record<CommandName, unknown> = {
  submit: [],
  cancel: { ids: [] },
  retry: { ids: ['not-an-id'] },
  remove: {},
  get: 42,
  list: { limit: -1 },
  snapshot: { extra: true },
  pause: 'now',
  resume: 1,
  setConcurrency: 0,
  kinds: [],
}

function setup(o: AppOrigin = origin) {
  const engine = fakeSpool()
  const main = fakeIpcMain()
  const remove = registerCommandHandlers(main.ipc, engine.spool, o)
  return { ...engine, main, remove }
}

describe('IPC commands', () => {
  it('registers exactly one handler per command of the shared table', () => {
    const { main } = setup()
    expect([...main.handlers.keys()].sort()).toEqual(commandNames.map(commandChannel).sort())
  })

  it.each(commandNames)('routes %s from the window to the engine with validated params', async (name) => {
    const { spool, main } = setup()
    const windowSpool = createWindowSpool({ ipc: fakeIpcRenderer(main).ipc, getPathForFile: () => '' })
    const method = windowSpool[name] as (params?: unknown) => Promise<unknown>
    const value = await method(validParams[name])
    expect(spool[name]).toHaveBeenCalledTimes(1)
    if (validParams[name] !== undefined) expect(spool[name]).toHaveBeenCalledWith(validParams[name])
    expect(value).toEqual(await (spool[name] as Mock<(p?: unknown) => Promise<unknown>>).mock.results[0]!.value)
  })

  it.each(commandNames)('answers INVALID_INPUT for bad %s params without calling the engine', async (name) => {
    const { spool, main } = setup()
    const result = await main.invoke(commandChannel(name), appFrame, badParams[name])
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(spool[name]).not.toHaveBeenCalled()
  })

  const refused: [string, SenderFrame | null][] = [
    ['a foreign origin', { url: 'https://evil.example/index.html', parent: null }],
    ['a file:// page', { url: 'file:///home/user/index.html', parent: null }],
    ['another app:// host', { url: 'app://other/index.html', parent: null }],
    ['an iframe inside Spool', { url: 'app://spool/frame.html', parent: appFrame }],
    ['a null frame (navigated or destroyed)', null],
    ['a frame with a malformed url', { url: 'not a url', parent: null }],
  ]
  it.each(refused)('refuses %s before looking at the params', async (_what, frame) => {
    const { spool, main } = setup()
    for (const name of commandNames) {
      await expect(main.invoke(commandChannel(name), frame, validParams[name])).rejects.toThrow(/Refused/)
      expect(spool[name]).not.toHaveBeenCalled()
    }
  })

  it('accepts the dev server only when running against it', async () => {
    const dev = { url: 'http://localhost:5173/', parent: null }
    const strict = setup()
    await expect(strict.main.invoke(commandChannel('kinds'), dev)).rejects.toThrow(/Refused/)
    const withDev = setup({ ...origin, devServerUrl: 'http://localhost:5173' })
    await expect(withDev.main.invoke(commandChannel('kinds'), dev)).resolves.toEqual({ ok: true, value: [] })
    await expect(
      withDev.main.invoke(commandChannel('kinds'), { url: 'http://localhost:5174/', parent: null }),
    ).rejects.toThrow(/Refused/)
  })

  it('passes typed errors through as code and message, and hides everything else', async () => {
    const { spool, main } = setup()
    spool.get.mockRejectedValueOnce(new SpoolError('NOT_FOUND', 'No such job', { stderrTail: 'secret' }))
    expect(await main.invoke(commandChannel('get'), appFrame, '7')).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such job' },
    })
    const internal = new Error('ENOENT: no such file, open /home/user/.config/Spool/jobs/spool.db')
    spool.list.mockRejectedValueOnce(internal)
    const answer = await main.invoke(commandChannel('list'), appFrame, {})
    expect(answer).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Internal error' } })
    expect(JSON.stringify(answer)).not.toMatch(/spool\.db|at .*\.ts/)
  })

  it('rejects in the window with a plain { code, message } the page can read', async () => {
    const { main } = setup()
    const windowSpool = createWindowSpool({ ipc: fakeIpcRenderer(main).ipc, getPathForFile: () => '' })
    const error = await windowSpool.setConcurrency(0).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('setConcurrency') })
    expect(error).not.toBeInstanceOf(Error)
  })

  it('refuses a job input that JSON would change or cannot hold, saying what, without calling the engine', async () => {
    const { spool, main } = setup()
    const cyclic: Record<string, unknown> = { ms: 0 }
    cyclic.self = cyclic
    const cases: [unknown, RegExp][] = [
      [{ ms: 0, result: { tags: new Set(['a']) } }, /a Set at "tags"/],
      [{ ms: 0, result: new Map([['a', 1]]) }, /a Map at "result"/],
      [{ ms: 0, result: { ratio: NaN } }, /NaN at "ratio"/],
      [{ ms: 0, result: [1, -Infinity] }, /-Infinity at "1"/],
      [{ ms: 0, result: { when: new Date(0) } }, /a Date at "when"/],
      [{ ms: 0, result: { bytes: new Uint8Array(2) } }, /a Uint8Array at "bytes"/],
      [{ ms: 0, result: { count: 2n ** 70n } }, /a bigint at "count"/],
      [cyclic, /refers to itself/],
    ]
    for (const [input, message] of cases) {
      const answer = await main.invoke(commandChannel('submit'), appFrame, [{ kind: 'debug.sleep', input }])
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) },
      })
    }
    expect(spool.submit).not.toHaveBeenCalled()
  })

  it('removes every handler it registered', () => {
    const { main, remove } = setup()
    remove()
    expect(main.handlers.size).toBe(0)
  })
})
