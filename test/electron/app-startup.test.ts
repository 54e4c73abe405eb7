import { describe, expect, it, vi } from 'vitest'
import { commandNames } from '../../src/shared/commands'
import { commandChannel, desktopChannel, desktopMethods, pushChannels } from '../../src/shared/ipc-channels'
import { createFakeElectron } from './fake-electron'
import { fakeSpool, job } from './fakes'

const electron = createFakeElectron()
const engine = fakeSpool()
const openSpool = vi.fn(async (_options: { dataDir: string }) => engine.spool)

vi.mock('electron', () => electron.module)
vi.mock('../../src/main/jobs', () => ({ openSpool }))

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const appFrame = { senderFrame: { url: 'app://spool/index.html', parent: null } }

describe('the Electron main process, started over a fake Electron', async () => {
  // As under `electron .`: argv[1] is the app, not a file handed to it.
  Object.assign(process, { defaultApp: true })
  await import('../../src/main/index')

  it('registers the app:// scheme and takes the single-instance lock before ready', () => {
    expect(electron.calls).toEqual(['register scheme'])
    expect(electron.module.app.requestSingleInstanceLock).toHaveBeenCalledWith({ files: expect.any(Array) })
    expect(electron.module.app.setAppUserModelId).toHaveBeenCalledWith('dev.spool.app')
    expect(openSpool).not.toHaveBeenCalled()
  })

  it('keeps a file opened before ready (macOS "Open with") until the queue is open', async () => {
    const event = { preventDefault: vi.fn() }
    electron.module.app.emit('open-file', event, import.meta.filename)
    expect(event.preventDefault).toHaveBeenCalled()
    expect(engine.spool.grant).not.toHaveBeenCalled()
  })

  it('on ready: serves app://, denies permissions, opens the queue with utility-process workers, opens a window', async () => {
    electron.ready()
    await vi.waitFor(() => expect(engine.spool.grant).toHaveBeenCalled())
    expect(electron.calls).toEqual(['register scheme', 'handle scheme', 'permission handler'])
    expect(openSpool).toHaveBeenCalledWith(expect.objectContaining({ dataDir: '/home/user/.config/Spool/jobs' }))
    expect(electron.windows).toHaveLength(1)
    expect(electron.windows[0]!.loadURL).toHaveBeenCalledWith('app://spool/index.html')
    expect(electron.windows[0]!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true })
    expect(electron.session.webRequest.onHeadersReceived).not.toHaveBeenCalled()
    expect(engine.spool.grant).toHaveBeenCalledWith([import.meta.filename])
    expect(electron.windows[0]!.webContents.sent).toContainEqual([pushChannels.filesOpened, [import.meta.filename]])
  })

  it('answers every command and desktop helper over IPC, and only to its own page', async () => {
    const channels = [...commandNames.map(commandChannel), ...desktopMethods.map(desktopChannel)]
    expect([...electron.handlers.keys()].sort()).toEqual(channels.sort())
    const kinds = electron.handlers.get(commandChannel('kinds'))!
    expect(await kinds(appFrame, undefined)).toEqual({ ok: true, value: [] })
    expect(() => kinds({ senderFrame: { url: 'https://evil.test/', parent: null } }, undefined)).toThrow(/Refused/)
  })

  it('guards every web contents the app creates against navigation and new windows', () => {
    const contents = new electron.module.BrowserWindow({}).webContents
    electron.module.app.emit('web-contents-created', {}, contents)
    const event = { preventDefault: vi.fn() }
    contents.emit('will-navigate', event, 'https://example.com/')
    expect(event.preventDefault).toHaveBeenCalled()
    expect(electron.module.shell.openExternal).toHaveBeenCalledWith('https://example.com/')
    expect(contents.setWindowOpenHandler).toHaveBeenCalled()
    contents.destroyed = true
  })

  it('sends event batches to every window', () => {
    engine.emit([{ type: 'added', id: '1', job: job('1') }])
    const [main] = electron.windows
    expect(main!.webContents.sent).toContainEqual([pushChannels.events, expect.objectContaining({ seq: 1 })])
  })

  it('"New Window" opens a second window on the same queue', () => {
    const template = electron.module.Menu.buildFromTemplate.mock.calls[0]![0] as {
      label?: string
      submenu?: { label?: string; click?: () => void }[]
    }[]
    template.find((menu) => menu.label === 'File')!.submenu!.find((item) => item.label === 'New Window')!.click!()
    expect(electron.windows.filter((window) => window.options.webPreferences)).toHaveLength(2)
    engine.emit([])
    for (const window of electron.windows.filter((w) => w.options.webPreferences)) {
      expect(window.webContents.sent.at(-1)).toEqual([pushChannels.events, { seq: 2, events: [] }])
    }
  })

  it('hands files from a second launch to the running window as grants', () => {
    electron.module.app.emit('second-instance', {}, [], '/', { files: [import.meta.filename] })
    expect(engine.spool.grant).toHaveBeenCalledWith([import.meta.filename])
    expect(electron.windows.at(-1)!.webContents.sent).toContainEqual([pushChannels.filesOpened, [import.meta.filename]])
  })

  it('shows taskbar progress and keeps the system awake while jobs run', () => {
    engine.emit([{ type: 'started', id: '1', job: job('1', { state: 'running' }) }])
    engine.emit([{ type: 'progress', id: '1', progress: { fraction: 0.5 } }])
    expect(electron.windows[0]!.progress.at(-1)).toEqual([0.5, { mode: 'normal' }])
    expect(electron.module.app.setBadgeCount).toHaveBeenLastCalledWith(1)
    expect(electron.module.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-app-suspension')
  })

  it('a finished job raises a notification; clicking it shows the job in a window', () => {
    vi.useFakeTimers()
    try {
      engine.emit([{ type: 'succeeded', id: '1', job: job('1', { state: 'succeeded', label: 'song.wav' }) }])
      vi.advanceTimersByTime(2_000)
    } finally {
      vi.useRealTimers()
    }
    const [notification] = electron.notifications
    expect(notification!.options).toEqual({ title: 'Job finished', body: 'song.wav' })
    expect(notification!.show).toHaveBeenCalled()
    notification!.emit('click')
    expect(electron.windows.at(-1)!.webContents.sent).toContainEqual([pushChannels.selectJob, '1'])
  })

  it('asks before quitting with jobs running, and "don\'t quit" keeps everything', async () => {
    engine.spool.snapshot.mockResolvedValueOnce({
      ...(await engine.spool.snapshot()),
      counts: { queued: 0, running: 1, succeeded: 0, failed: 0, cancelled: 0 },
    })
    const event = { preventDefault: vi.fn() }
    electron.module.app.emit('before-quit', event)
    await settle()
    await settle()
    expect(event.preventDefault).toHaveBeenCalled()
    expect(electron.module.dialog.showMessageBox).toHaveBeenCalledWith(
      expect.objectContaining({ buttons: ['Cancel Jobs and Quit', 'Keep Running', "Don't Quit"] }),
    )
    expect(engine.spool.close).not.toHaveBeenCalled()
  })

  it('with nothing running, quitting closes the queue cleanly before the process ends', async () => {
    electron.module.app.emit('before-quit', { preventDefault: vi.fn() })
    await settle()
    await settle()
    expect(engine.spool.close).toHaveBeenCalledTimes(1)
    expect(electron.module.app.quit).toHaveBeenCalled()
  })
})
