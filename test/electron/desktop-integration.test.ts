import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { JobEvent } from '../../src/shared/events'
import { emptyCounts } from '../../src/shared/job'
import { appMenuTemplate } from '../../src/main/electron/app-menu'
import { JobNotifier } from '../../src/shared/job-notifier'
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
    notifier.apply(batch(succeeded('1')), 0)
    expect(show).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1_500)
    expect(show).toHaveBeenCalledWith({ title: 'Job finished', body: 'job 1', jobId: '1' })
  })

  it('a failure says why', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    new JobNotifier({ show }).apply(batch(failed('2')), 0)
    vi.runAllTimers()
    expect(show).toHaveBeenCalledWith({ title: 'Job failed', body: 'job 2: bad input file', jobId: '2' })
  })

  it('a summary when many finish together, pointing at the first failure', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    for (let i = 1; i <= 500; i++) notifier.apply(batch(succeeded(String(i))), i === 500 ? 0 : 1)
    vi.runAllTimers()
    expect(show).toHaveBeenCalledTimes(1)
    expect(show).toHaveBeenCalledWith({ title: 'Jobs finished', body: '500 finished' })
  })

  it('a long run of jobs makes one notification when it is over, not one every few seconds', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    for (let i = 1; i <= 300; i++) {
      notifier.apply(batch(succeeded(String(i))), i === 300 ? 0 : 1)
      vi.advanceTimersByTime(2_000)
    }
    expect(show).toHaveBeenCalledTimes(1)
    expect(show).toHaveBeenCalledWith({ title: 'Jobs finished', body: '300 finished' })
  })

  it('a job starting again within moments of the last one ending continues the run', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    notifier.apply(batch(succeeded('1')), 0)
    vi.advanceTimersByTime(500)
    notifier.apply(batch(started('2')), 1)
    vi.advanceTimersByTime(5_000)
    expect(show).not.toHaveBeenCalled()
    notifier.apply(batch(succeeded('2')), 0)
    vi.runAllTimers()
    expect(show).toHaveBeenCalledExactlyOnceWith({ title: 'Jobs finished', body: '2 finished' })
  })

  it('failures are told while the run goes on, at most every 30 s, and the end sums the run up', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    notifier.apply(batch(failed('1')), 1)
    vi.advanceTimersByTime(1_500)
    expect(show).toHaveBeenLastCalledWith({ title: 'Job failed', body: 'job 1: bad input file', jobId: '1' })
    notifier.apply(batch(succeeded('2'), failed('3')), 1)
    vi.advanceTimersByTime(5_000)
    notifier.apply(batch(failed('4')), 1)
    vi.advanceTimersByTime(20_000)
    expect(show).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(5_000)
    expect(show).toHaveBeenLastCalledWith({
      title: '2 jobs failed',
      body: 'job 3: bad input file, and 1 more',
      jobId: '3',
    })
    notifier.apply(batch(succeeded('5')), 0)
    vi.runAllTimers()
    expect(show).toHaveBeenCalledTimes(3)
    expect(show).toHaveBeenLastCalledWith({
      title: 'Jobs finished with failures',
      body: '2 finished, 3 failed',
      jobId: '1',
    })
  })

  it('the end of a run is told within moments, even while a failure waits its turn', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    notifier.apply(batch(failed('1')), 1)
    vi.advanceTimersByTime(1_500)
    notifier.apply(batch(failed('2')), 1)
    vi.advanceTimersByTime(1_000)
    notifier.apply(batch(succeeded('3')), 0)
    vi.advanceTimersByTime(1_500)
    expect(show).toHaveBeenCalledTimes(2)
    expect(show).toHaveBeenLastCalledWith({
      title: 'Jobs finished with failures',
      body: '1 finished, 2 failed',
      jobId: '1',
    })
  })

  it('quitting in the middle of a run tells the failures not told yet, and does not sum the run up', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    notifier.apply(batch(succeeded('1'), failed('2')), 1)
    notifier.flush()
    expect(show).toHaveBeenCalledExactlyOnceWith({ title: 'Job failed', body: 'job 2: bad input file', jobId: '2' })
    notifier.apply(batch(succeeded('3')), 1)
    notifier.flush()
    vi.runAllTimers()
    expect(show).toHaveBeenCalledOnce()
  })

  it('nothing for cancelled jobs or failures that will be retried, nor again for a failure already told', () => {
    vi.useFakeTimers()
    const show = vi.fn()
    const notifier = new JobNotifier({ show })
    notifier.apply(batch({ type: 'cancelled', id: '1', job: job('1', { state: 'cancelled' }) }, failed('2', true)), 0)
    vi.runAllTimers()
    expect(show).not.toHaveBeenCalled()
    notifier.apply(batch(failed('3')), 1)
    vi.advanceTimersByTime(1_500)
    notifier.apply(batch({ type: 'cancelled', id: '4', job: job('4', { state: 'cancelled' }) }), 0)
    vi.runAllTimers()
    expect(show).toHaveBeenCalledOnce()
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
  const fileMenu = (options: { addFiles(): void; openWindow(): void }) => {
    const file = appMenuTemplate({ isMac: false, ...options }).find((item) => item.label === 'File')
    return file!.submenu as { label?: string; accelerator?: string; click?: () => void }[]
  }

  it('has New Window, which opens another window', () => {
    const openWindow = vi.fn()
    const newWindow = fileMenu({ addFiles: vi.fn(), openWindow }).find((item) => item.label === 'New Window')
    expect(newWindow?.accelerator).toBe('CmdOrCtrl+N')
    newWindow!.click!()
    expect(openWindow).toHaveBeenCalledTimes(1)
  })

  it('has Add Files…, first, which asks for files to start a job with', () => {
    const addFiles = vi.fn()
    const items = fileMenu({ addFiles, openWindow: vi.fn() })
    expect(items[0]).toMatchObject({ label: 'Add Files…', accelerator: 'CmdOrCtrl+O' })
    items[0]!.click!()
    expect(addFiles).toHaveBeenCalledTimes(1)
  })
})
