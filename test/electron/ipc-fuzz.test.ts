import fc from 'fast-check'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { commandNames } from '../../src/shared/commands'
import { jobErrorCodes } from '../../src/shared/errors'
import { commandChannel, desktopChannel, desktopMethods } from '../../src/shared/ipc-channels'
import type { JobCounts } from '../../src/shared/job'
import { registerCommandHandlers } from '../../src/main/ipc/command-handlers'
import { registerDesktopHandlers, type NativeShell } from '../../src/main/ipc/desktop-handlers'
import type { InvokeEvent } from '../../src/main/ipc/guarded-handle'
import type { SenderFrame } from '../../src/main/ipc/sender-guard'
import { openSpool, type Spool } from '../../src/main/jobs'
import { createWindowSpool } from '../../src/preload/window-spool'
import * as values from '../reliability/fuzz-values'
import { appFrame, fakeIpcMain, fakeIpcRenderer, foreignFrames } from './fakes'

const messages = Number(process.env.SPOOL_FUZZ_MESSAGES ?? 10_000)
const origin = { scheme: 'app', host: 'spool' }
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort()
const channels = [...commandNames.map(commandChannel), ...desktopMethods.map(desktopChannel)]

const unknownChannels = fc.oneof(
  fc.constantFrom(
    'spool:command:__proto__',
    'spool:command:constructor',
    'spool:command:toString',
    'spool:command:close',
    'spool:command:grant',
    'spool:command:wait',
    'spool:command:SUBMIT',
    'spool:command:submit ',
    'spool:desktop:openExternal',
    'spool:desktop:showItemInFolder',
    'spool:events',
    'spool:command:',
    '__proto__',
    '',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((name) => `spool:command:${name}`),
)

const absolutePaths = fc.oneof(
  fc.constantFrom('/', '/etc/passwd', '/dev/zero', '/nonexistent/a.png', '/tmp/../etc/shadow', `/${'a'.repeat(5000)}`),
  fc.string({ maxLength: 30 }).map((tail) => `/${tail}`),
)

/** Params shaped for each channel, so that hostile values also reach past the first layer of checks. */
const fileFilters = fc.oneof(
  fc.array(
    fc.record({
      name: fc.oneof(fc.string(), values.hostile),
      extensions: fc.oneof(fc.array(fc.string()), values.hostile),
    }),
  ),
  values.hostile,
)

const droppedPaths = fc.oneof(
  fc.array(fc.oneof(absolutePaths, fc.string({ maxLength: 20 }), values.hostile), { maxLength: 5 }),
  values.hostile,
)

/** Params shaped for each channel, so that hostile values also reach past the first layer of checks. */
const paramsFor = new Map<string, fc.Arbitrary<unknown>>([
  [commandChannel('submit'), values.submitParams],
  [commandChannel('cancel'), values.cancelParams],
  [commandChannel('retry'), values.idsParams],
  [commandChannel('remove'), values.idsParams],
  [commandChannel('get'), values.jobIds],
  [commandChannel('list'), values.listParams],
  [commandChannel('setConcurrency'), fc.oneof(values.numbers, values.hostile)],
  [desktopChannel('pickFiles'), fileFilters],
  [desktopChannel('grantDroppedFiles'), droppedPaths],
  [desktopChannel('showInFolder'), values.jobIds],
  [desktopChannel('openOutput'), values.jobIds],
])

interface Message {
  channel: string
  frame: SenderFrame | null
  param: unknown
}

const message: fc.Arbitrary<Message> = fc
  .record({
    channel: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...channels) },
      { weight: 1, arbitrary: unknownChannels },
    ),
    frame: fc.oneof(
      { weight: 5, arbitrary: fc.constant(appFrame) },
      { weight: 1, arbitrary: fc.constantFrom<SenderFrame | null>(...foreignFrames, null) },
    ),
  })
  .chain(({ channel, frame }) =>
    (paramsFor.get(channel) ?? fc.oneof(values.hostile, fc.constant(undefined))).map((param) => ({
      channel,
      frame,
      param,
    })),
  )
  // Electron clones what a renderer sends; what cannot be cloned is refused in the renderer and never arrives.
  .filter(({ param }) => {
    try {
      structuredClone(param)
      return true
    } catch {
      return false
    }
  })

/** Counts every call that reaches the engine or the native shell, to show a refused message reached neither. */
function counted<T extends object>(target: T, calls: { n: number }): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.n++
        return (value as (...a: unknown[]) => unknown).apply(object, args)
      }
    },
  })
}

describe('IPC handlers fuzzed through the Electron fakes, on a real engine', () => {
  const base = mkdtempSync(join(tmpdir(), 'spool-ipc-fuzz-'))
  const tally = { answered: 0, ok: 0, refusedSender: 0, unknownChannel: 0 }
  const codes = new Map<string, number>()
  let spool: Spool

  beforeAll(async () => {
    mkdirSync(join(base, 'files'))
    spool = await openSpool({
      dataDir: join(base, 'queue'),
      roots: [join(base, 'files')],
      diagnostics: true,
      startPaused: true,
      concurrency: 1,
    })
    // Ids 1–6 exist: four wait far in the future (a fuzzed resume must not run them), two are cancelled.
    const later = Date.now() + 86_400_000
    const ids = await spool.submit(
      Array.from({ length: 6 }, () => ({ kind: 'debug.sleep', input: { ms: 0 }, runAfter: later })),
    )
    await spool.cancel({ ids: ids.slice(0, 2) })
  })

  afterAll(async () => {
    await spool.close()
    rmSync(base, { recursive: true, force: true })
    const top = [...codes].map(([code, n]) => `${code} ${n}`).join(', ')
    console.log(
      `IPC fuzz: ${tally.answered} messages; ${tally.ok} ok, refused: ${tally.refusedSender} foreign senders, ` +
        `${tally.unknownChannel} unknown channels, ${top}`,
    )
  })

  it(`answers ${messages.toLocaleString('en')} hostile messages with typed errors or refusals, changing nothing it refuses`, async () => {
    const main = fakeIpcMain()
    const engineCalls = { n: 0 }
    const nativeCalls = { n: 0 }
    const native: NativeShell<InvokeEvent> = {
      chooseFiles: vi.fn(async () => []),
      chooseFolder: vi.fn(async () => null),
      showItemInFolder: vi.fn(),
      openPath: vi.fn(async () => ''),
    }
    registerCommandHandlers(main.ipc, counted(spool, engineCalls), origin)
    registerDesktopHandlers(main.ipc, counted(spool, engineCalls), counted(native, nativeCalls), origin)
    expect([...main.handlers.keys()].sort()).toEqual([...channels].sort())
    const counts = async (): Promise<JobCounts> => (await spool.snapshot()).counts

    await fc.assert(
      fc.asyncProperty(message, async ({ channel, frame, param }) => {
        tally.answered++
        const before = await counts()
        const callsBefore = engineCalls.n + nativeCalls.n
        const outcome = await main.invoke(channel, frame, param).then(
          (answer) => ({ answer }),
          (error: Error) => ({ error }),
        )
        if ('error' in outcome) {
          // Thrown in the main process, a rejected invoke in the window: only a foreign sender or no handler.
          if (!main.handlers.has(channel)) {
            expect(outcome.error.message).toMatch(/No handler registered/)
            tally.unknownChannel++
          } else {
            expect(outcome.error.message).toMatch(/^Refused/)
            expect(frame === null || frame.parent !== null || frame.url !== appFrame.url).toBe(true)
            tally.refusedSender++
          }
          expect(engineCalls.n + nativeCalls.n).toBe(callsBefore)
          expect(await counts()).toEqual(before)
        } else {
          expect(channels).toContain(channel)
          expect(frame).toBe(appFrame)
          const answer = outcome.answer as { ok: boolean; value?: unknown; error?: { code: string; message: string } }
          if (answer.ok) {
            tally.ok++
            await undo(channel, answer.value)
          } else {
            expect(jobErrorCodes).toContain(answer.error!.code)
            expect(answer.error!.code).not.toBe('INTERNAL')
            expect(typeof answer.error!.message).toBe('string')
            expect(answer.error!.message).not.toMatch(/\n\s+at /)
            codes.set(answer.error!.code, (codes.get(answer.error!.code) ?? 0) + 1)
            expect(await counts()).toEqual(before)
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames)
      }),
      { numRuns: messages },
    )

    // No message could make the shell open or reveal anything: no job has an output to show.
    expect(native.showItemInFolder).not.toHaveBeenCalled()
    expect(native.openPath).not.toHaveBeenCalled()
    expect([...main.handlers.keys()].sort()).toEqual([...channels].sort())

    // The same handlers still serve Spool's own window, and the queue still runs jobs.
    const window = createWindowSpool({ ipc: fakeIpcRenderer(main).ipc, getPathForFile: () => '' })
    const [id] = await window.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    await window.setConcurrency(1)
    await window.resume()
    expect((await spool.wait(id!)).state).toBe('succeeded')
  }, 600_000)

  /** Puts back what an accepted command changed, so every later message meets the same small, paused queue. */
  async function undo(channel: string, value: unknown): Promise<void> {
    if (channel === commandChannel('submit') || channel === commandChannel('retry')) {
      const ids = value as string[]
      if (ids.length === 0) return
      await spool.cancel({ ids })
      if (channel === commandChannel('submit')) await spool.remove({ ids })
    }
    if (channel === commandChannel('resume')) await spool.pause()
  }
})
