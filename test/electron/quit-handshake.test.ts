import { describe, expect, it, vi } from 'vitest'
import { QuitHandshake, type QuitChoice, type QuitDeps } from '../../src/main/electron/quit-handshake'

function setup(running: number, choice: QuitChoice) {
  const order: string[] = []
  const deps: QuitDeps = {
    running: vi.fn(async () => running),
    ask: vi.fn(async () => choice),
    cancelAll: vi.fn(async () => void order.push('cancel')),
    shutdown: vi.fn(async () => void order.push('shutdown')),
    closeWindows: vi.fn(() => void order.push('close windows')),
    ensureWindow: vi.fn(() => void order.push('window')),
    quit: vi.fn(() => void order.push('quit')),
  }
  const handshake = new QuitHandshake(deps)
  const quit = async () => {
    const event = { preventDefault: vi.fn() }
    handshake.onBeforeQuit(event)
    await new Promise((resolve) => setTimeout(resolve, 0))
    return event.preventDefault.mock.calls.length > 0
  }
  return { deps, handshake, order, quit }
}

describe('quit handshake', () => {
  it('with nothing running, shuts the engine down and quits without asking', async () => {
    const { deps, order, quit } = setup(0, 'stay')
    expect(await quit()).toBe(true)
    expect(deps.ask).not.toHaveBeenCalled()
    expect(order).toEqual(['shutdown', 'quit'])
    expect(await quit()).toBe(false)
  })

  it('"cancel jobs and quit" cancels, then shuts down, then quits', async () => {
    const { deps, order, quit } = setup(3, 'cancel-and-quit')
    await quit()
    expect(deps.ask).toHaveBeenCalledWith(3)
    expect(order).toEqual(['cancel', 'shutdown', 'quit'])
  })

  it('"don\'t quit" keeps everything running and gives a window back', async () => {
    const { deps, order, quit } = setup(1, 'stay')
    await quit()
    expect(order).toEqual(['window'])
    expect(deps.shutdown).not.toHaveBeenCalled()
    await quit()
    expect(deps.ask).toHaveBeenCalledTimes(2)
  })

  it('"keep running" closes the windows and quits once the queue is idle', async () => {
    const { handshake, order, quit } = setup(2, 'keep-running')
    await quit()
    expect(handshake.inBackground).toBe(true)
    expect(order).toEqual(['close windows'])
    handshake.onIdle()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(order).toEqual(['close windows', 'shutdown', 'quit'])
  })

  it('a window opened in the background mode cancels the deferred quit', async () => {
    const { handshake, order, quit } = setup(2, 'keep-running')
    await quit()
    handshake.onWindowOpened()
    handshake.onIdle()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(order).toEqual(['close windows'])
  })

  it('quits even when shutting down fails, and ignores quit requests while asking', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { deps, handshake, order } = setup(1, 'cancel-and-quit')
    let answer: (choice: QuitChoice) => void = () => {}
    deps.ask = vi.fn(() => new Promise<QuitChoice>((resolve) => (answer = resolve)))
    deps.shutdown = vi.fn(async () => {
      throw new Error('disk gone')
    })
    const first = { preventDefault: vi.fn() }
    const second = { preventDefault: vi.fn() }
    handshake.onBeforeQuit(first)
    await new Promise((resolve) => setTimeout(resolve, 0))
    handshake.onBeforeQuit(second)
    expect(second.preventDefault).toHaveBeenCalled()
    answer('cancel-and-quit')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(deps.ask).toHaveBeenCalledTimes(1)
    expect(order).toEqual(['cancel', 'quit'])
    expect(logged).toHaveBeenCalledWith('Spool could not shut down cleanly:', expect.any(Error))
    logged.mockRestore()
  })
})
