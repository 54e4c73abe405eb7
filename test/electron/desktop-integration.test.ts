import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { JobEvent } from '../../src/shared/events'
import { emptyCounts } from '../../src/shared/job'
import { appMenuTemplate } from '../../src/main/electron/app-menu'
import { JobNotifier } from '../../src/main/electron/job-notifier'
import { filesFromArgs, filesFromHandOver, HandOverInbox } from '../../src/main/electron/opened-files'
import { PowerSaveGuard } from '../../src/main/electron/power-save'
import { QueueProgress } from '../../src/main/electron/queue-progress'
import { job, snapshotAt } from './fakes'

let seq = 0
const batch = (...events: JobEvent[]) => ({ seq: ++seq, events })
const added = (id: string): JobEvent => ({ type: 'added', id, job: job(id) })
const started = (id: string): JobEvent => ({ type: 'started', id, job: job(id, { state: 'running' }) })
const progress = (id: string, fraction: number): JobEvent => ({ type: 'progress', id, progress: { fraction } })
const succeeded = (id: string): JobEvent => ({ type: 'succeeded', id, job: job(id, { state: 'succeeded' }) })
const failed = (id: string, willRetry = false): JobEvent => ({
  type: 'failed',
  id,
  willRetry,
  job: job(id, { state: 'failed', error: { code: 'HANDLER_ERROR', message: 'bad input file' } }),
})

describe('taskbar progress for the whole queue', () => {
  it('moves forward as jobs progress and finish, then clears when the queue is empty', () => {
    const queue = new QueueProgress(snapshotAt(0))
    expect(queue.state()).toEqual({ fraction: -1, mode: 'none', badge: 0 })
    queue.apply(batch(added('1'), added('2')))
    expect(queue.state()).toEqual({ fraction: 0, mode: 'indeterminate', badge: 2 })
    queue.apply(batch(started('1'), progress('1', 0.5)))
    expect(queue.state()).toEqual({ fraction: 0.25, mode: 'normal', badge: 2 })
    queue.apply(batch(succeeded('1'), started('2')))
    expect(queue.state()).toEqual({ fraction: 0.5, mode: 'normal', badge: 1 })
    queue.apply(batch(succeeded('2')))
    expect(queue.state()).toEqual({ fraction: -1, mode: 'none', badge: 0 })
  })

  it('shows the error state once a job of the run failed for good, not for a retry', () => {
    const queue = new QueueProgress(snapshotAt(0))
    queue.apply(batch(added('1'), added('2'), started('1')))
    queue.apply(batch(failed('1', true)))
    expect(queue.state().mode).not.toBe('error')
    expect(queue.state().badge).toBe(2)
    queue.apply(batch(started('1'), failed('1')))
    expect(queue.state()).toMatchObject({ mode: 'error', badge: 1, fraction: 0.5 })
  })

  it('starts from a snapshot with jobs already running, and follows the paused state', () => {
    const counts = { ...emptyCounts(), queued: 3, running: 1 }
    const queue = new QueueProgress(
      snapshotAt(4, { counts, active: [job('9', { state: 'running', progress: { fraction: 0.4 } })] }),
    )
    expect(queue.running).toBe(1)
    expect(queue.state()).toMatchObject({ badge: 4, mode: 'normal' })
    queue.apply(batch({ type: 'queue', queue: { paused: true, concurrency: 1, counts, finishedBeforeRun: 0 } }))
    expect(queue.state().mode).toBe('paused')
  })
})

describe('notifications', () => {
  afterEach(() => vi.useRealTimers())

  it('one notification for one finished job, naming it; a click selects it', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    notifier.apply(batch(succeeded('1')))
    expect(show).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1_500)
    expect(show).toHaveBeenCalledWith({ title: 'Job finished', body: 'job 1', jobId: '1' })
  })

  it('a failure says why', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    new JobNotifier({ show }).apply(batch(failed('2')))
    vi.runAllTimers()
    expect(show).toHaveBeenCalledWith({ title: 'Job failed', body: 'job 2: bad input file', jobId: '2' })
  })

  it('a summary when many finish together, pointing at the first failure', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    for (let i = 1; i <= 500; i++) notifier.apply(batch(i === 7 ? failed(String(i)) : succeeded(String(i))))
    vi.runAllTimers()
    expect(show).toHaveBeenCalledTimes(1)
    expect(show).toHaveBeenCalledWith({
      title: 'Jobs finished with failures',
      body: '499 finished, 1 failed',
      jobId: '7',
    })
  })

  it('nothing for cancelled jobs or failures that will be retried', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    notifier.apply(batch({ type: 'cancelled', id: '1', job: job('1', { state: 'cancelled' }) }, failed('2', true)))
    vi.runAllTimers()
    expect(show).not.toHaveBeenCalled()
  })
})

describe('power save blocker', () => {
  it('blocks app suspension while jobs run and releases it when none do', () => {
    const blocker = { start: vi.fn(() => 7), stop: vi.fn() }
    const guard = new PowerSaveGuard(blocker)
    guard.update(2)
    guard.update(1)
    expect(blocker.start).toHaveBeenCalledTimes(1)
    expect(blocker.start).toHaveBeenCalledWith('prevent-app-suspension')
    guard.update(0)
    expect(blocker.stop).toHaveBeenCalledWith(7)
    guard.update(0)
    expect(blocker.stop).toHaveBeenCalledTimes(1)
  })
})

describe('files handed to Spool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spool-open-'))
  writeFileSync(join(dir, 'song.wav'), 'x')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('takes existing files from a command line, resolved against the launch folder', () => {
    const args = ['--no-sandbox', 'song.wav', 'missing.wav', dir]
    expect(filesFromArgs(args, dir)).toEqual([join(dir, 'song.wav')])
  })

  it('keeps files handed over before the queue is open, then delivers the rest as they come', () => {
    const inbox = new HandOverInbox()
    inbox.add(['/a.wav'])
    inbox.add(['/b.wav'])
    const receiver = vi.fn()
    expect(inbox.receiveWith(receiver)).toEqual(['/a.wav', '/b.wav'])
    inbox.add([])
    inbox.add(['/c.wav'])
    expect(receiver.mock.calls).toEqual([[[]], [['/c.wav']]])
  })

  it("accepts a second instance's hand-over only in Spool's shape", () => {
    expect(filesFromHandOver({ files: [join(dir, 'song.wav'), '/nope'] })).toEqual([join(dir, 'song.wav')])
    expect(filesFromHandOver({ files: 'song.wav' })).toEqual([])
    expect(filesFromHandOver(undefined)).toEqual([])
  })
})

describe('application menu', () => {
  it('has New Window, which opens another window', () => {
    const openWindow = vi.fn()
    const file = appMenuTemplate({ isMac: false, openWindow }).find((item) => item.label === 'File')
    const items = file!.submenu as { label?: string; accelerator?: string; click?: () => void }[]
    const newWindow = items.find((item) => item.label === 'New Window')
    expect(newWindow?.accelerator).toBe('CmdOrCtrl+N')
    newWindow!.click!()
    expect(openWindow).toHaveBeenCalledTimes(1)
  })
})
