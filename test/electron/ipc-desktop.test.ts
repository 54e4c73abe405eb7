import { describe, expect, it, vi } from 'vitest'
import { desktopChannel, desktopMethods } from '../../src/shared/ipc-channels'
import { registerDesktopHandlers, type NativeShell } from '../../src/main/ipc/desktop-handlers'
import type { InvokeEvent } from '../../src/main/ipc/guarded-handle'
import { createWindowSpool } from '../../src/preload/window-spool'
import { appFrame, fakeIpcMain, fakeIpcRenderer, fakeSpool, job } from './fakes'

function setup(native: Partial<NativeShell<InvokeEvent>> = {}) {
  const engine = fakeSpool()
  const main = fakeIpcMain()
  const shell = {
    chooseFiles: vi.fn(async () => ['/home/user/in/a.wav', '/home/user/in/b.wav']),
    chooseFolder: vi.fn(async (): Promise<string | null> => '/home/user/out'),
    showItemInFolder: vi.fn(),
    openPath: vi.fn(async () => ''),
    ...native,
  }
  registerDesktopHandlers(main.ipc, engine.spool, shell, { scheme: 'app', host: 'spool' })
  const paths = new Map<object, string>()
  const windowSpool = createWindowSpool({
    ipc: fakeIpcRenderer(main).ipc,
    getPathForFile: (file) => paths.get(file) ?? '',
  })
  return { ...engine, main, shell, windowSpool, paths }
}

const done = job('5', { state: 'succeeded', result: { outputs: [{ path: '/home/user/out/a.mp3', size: 10 }] } })

describe('desktop helpers over IPC', () => {
  it('registers one guarded handler per desktop method', async () => {
    const { main, shell } = setup()
    expect([...main.handlers.keys()].sort()).toEqual(desktopMethods.map(desktopChannel).sort())
    for (const method of desktopMethods) {
      await expect(main.invoke(desktopChannel(method), { url: 'https://x.test/', parent: null })).rejects.toThrow(
        /Refused/,
      )
    }
    expect(shell.chooseFiles).not.toHaveBeenCalled()
  })

  it('grants the files picked in the native dialog and answers their paths', async () => {
    const { windowSpool, spool, shell } = setup()
    const filters = [{ name: 'Audio', extensions: ['wav', 'flac'] }]
    expect(await windowSpool.pickFiles(filters)).toEqual(['/home/user/in/a.wav', '/home/user/in/b.wav'])
    expect(shell.chooseFiles).toHaveBeenCalledWith(expect.anything(), filters)
    expect(spool.grant).toHaveBeenCalledWith(['/home/user/in/a.wav', '/home/user/in/b.wav'])
  })

  it('grants nothing when the dialog is dismissed', async () => {
    const { windowSpool, spool } = setup({ chooseFiles: async () => [], chooseFolder: async () => null })
    expect(await windowSpool.pickFiles()).toEqual([])
    expect(await windowSpool.pickOutputDir()).toBeNull()
    expect(spool.grant).not.toHaveBeenCalled()
  })

  it('refuses malformed file filters', async () => {
    const { main, shell } = setup()
    const result = await main.invoke(desktopChannel('pickFiles'), appFrame, [{ name: 'x', extensions: ['../*'] }])
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(shell.chooseFiles).not.toHaveBeenCalled()
  })

  it('grants the chosen output folder', async () => {
    const { windowSpool, spool } = setup()
    expect(await windowSpool.pickOutputDir()).toBe('/home/user/out')
    expect(spool.grant).toHaveBeenCalledWith(['/home/user/out'])
  })

  it('grants dropped files by the path the preload resolved', async () => {
    const { windowSpool, spool, paths } = setup()
    const dropped = new File(['x'], 'a.wav')
    paths.set(dropped, '/home/user/Desktop/a.wav')
    expect(await windowSpool.grantDroppedFiles([dropped])).toEqual(['/home/user/Desktop/a.wav'])
    expect(spool.grant).toHaveBeenCalledWith(['/home/user/Desktop/a.wav'])
  })

  it('refuses a File made in script (it has no path) and grants nothing', async () => {
    const { windowSpool, spool, paths } = setup()
    const real = new File(['x'], 'a.wav')
    paths.set(real, '/home/user/Desktop/a.wav')
    const forged = new File(['x'], '/etc/passwd')
    await expect(windowSpool.grantDroppedFiles([real, forged])).rejects.toMatchObject({ code: 'FORBIDDEN_PATH' })
    await expect(windowSpool.grantDroppedFiles([{ path: '/etc/passwd' }])).rejects.toMatchObject({
      code: 'FORBIDDEN_PATH',
    })
    // Not a list at all: a typed refusal the page can show, not a TypeError.
    await expect(windowSpool.grantDroppedFiles({} as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(spool.grant).not.toHaveBeenCalled()
  })

  it('refuses relative paths on the grant channel', async () => {
    const { main, spool } = setup()
    const result = await main.invoke(desktopChannel('grantDroppedFiles'), appFrame, ['../../etc/passwd'])
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(spool.grant).not.toHaveBeenCalled()
  })

  it("shows and opens a finished job's output, looking the path up from the job", async () => {
    const { windowSpool, spool, shell } = setup()
    spool.get.mockResolvedValue(done)
    await windowSpool.showInFolder('5')
    await windowSpool.openOutput('5')
    expect(spool.get).toHaveBeenCalledWith('5')
    expect(shell.showItemInFolder).toHaveBeenCalledWith('/home/user/out/a.mp3')
    expect(shell.openPath).toHaveBeenCalledWith('/home/user/out/a.mp3')
  })

  it('answers NOT_FOUND for an unknown job, an unfinished one, or one without outputs', async () => {
    const { windowSpool, spool, shell } = setup()
    spool.get.mockResolvedValueOnce(null)
    await expect(windowSpool.showInFolder('9')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    spool.get.mockResolvedValueOnce(job('9', { state: 'running' }))
    await expect(windowSpool.openOutput('9')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    spool.get.mockResolvedValueOnce(job('9', { state: 'succeeded', result: { ms: 5 } }))
    await expect(windowSpool.showInFolder('9')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(shell.showItemInFolder).not.toHaveBeenCalled()
    expect(shell.openPath).not.toHaveBeenCalled()
  })

  it('does not echo the output path when it cannot be opened', async () => {
    const { windowSpool, spool } = setup({ openPath: async () => 'Failed to open /home/user/out/a.mp3' })
    spool.get.mockResolvedValue(done)
    const error = await windowSpool.openOutput('5').catch((e: { message: string }) => e)
    expect(error).toMatchObject({ code: 'NOT_FOUND' })
    expect(JSON.stringify(error)).not.toContain('/home/user')
  })

  it('validates the job id before asking the engine', async () => {
    const { main, spool } = setup()
    const result = await main.invoke(desktopChannel('showInFolder'), appFrame, '../5')
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(spool.get).not.toHaveBeenCalled()
  })
})
