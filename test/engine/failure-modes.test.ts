import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { NodeWorkerLauncher } from '../../src/main/jobs'
import { eventually, useSpool } from '../support/test-spool'
import { descendants, isAlive, isRunning, loggedChildPids, parentOf } from '../support/processes'

const fail = (mode: string, extra: Record<string, unknown> = {}) => ({ kind: 'debug.fail', input: { mode, ...extra } })
const sleep = { kind: 'debug.sleep', input: { ms: 300, steps: 3 } }

describe('a worker that fails is contained while other jobs keep running', () => {
  const open = useSpool()

  it.each([
    ['throw', 'HANDLER_ERROR', /Failed on purpose/],
    ['exit', 'WORKER_CRASHED', /exited with code 0/],
    ['crash', 'WORKER_CRASHED', /killed by SIGSEGV/],
    ['oom', 'OUT_OF_MEMORY', /ran out of memory/],
    ['flood', 'WORKER_CRASHED', /more than \d+ messages in one second/],
    ['garbage', 'WORKER_CRASHED', /malformed message/],
  ])('%s ends the job %s, kills its child, and the pool recovers', async (mode, code, message) => {
    const { spool } = await open({ workerHeapMb: 64 })
    const [bad, ...good] = await spool.submit([fail(mode, { child: true }), sleep, sleep])
    const failed = await spool.wait(bad!)
    expect(failed.state).toBe('failed')
    expect(failed.error?.code).toBe(code)
    expect(failed.error?.message).toMatch(message)
    for (const id of good) expect((await spool.wait(id)).state).toBe('succeeded')
    const [child] = loggedChildPids(failed.log)
    expect(child).toBeGreaterThan(0)
    await eventually(() => !isAlive(child!))
    const [after] = await spool.submit([sleep])
    expect((await spool.wait(after!)).state).toBe('succeeded')
  })

  it.each(['crash', 'exit'])(
    'a job done just before the next one kills their worker (by %s) is recorded as done, not crashed',
    async (mode) => {
      // One worker: the next job starts in it the moment the first one is done.
      const { spool } = await open({ concurrency: 1 })
      const [done, killer] = await spool.submit([sleep, fail(mode)])
      const first = await spool.wait(done!)
      expect(first.state).toBe('succeeded')
      expect(first.error).toBeUndefined()
      expect((await spool.wait(killer!)).error?.code).toBe('WORKER_CRASHED')
    },
  )

  it.each(['throw', 'crash'])('a job that fails by %s leaves no temp file behind', async (mode) => {
    const { spool } = await open()
    const [id] = await spool.submit([fail(mode, { tempFile: true })])
    const job = await spool.wait(id!)
    const file = job.log?.map((line) => /^temp file (.+)$/.exec(line)?.[1]).find(Boolean)
    expect(file).toBeTruthy()
    // The folder goes with the file: removed from the inside out, so wait for the folder itself.
    await eventually(() => !existsSync(dirname(file!)))
    expect(existsSync(file!)).toBe(false)
  })

  it('keeps the stderr tail of a worker that died', async () => {
    const { spool } = await open({ workerHeapMb: 64 })
    const [id] = await spool.submit([fail('oom')])
    const job = await spool.wait(id!)
    expect(String(job.error?.detail?.stderrTail)).toMatch(/heap/i)
  })

  it('a failed job keeps what its worker wrote to stderr while it ran', async () => {
    const { spool } = await open()
    const [first] = await spool.submit([fail('throw', { afterMs: 100, message: 'first' })])
    await spool.wait(first!)
    const [second] = await spool.submit([fail('throw', { afterMs: 100, message: 'second' })])
    const job = await spool.wait(second!)
    expect(job.error).toMatchObject({ code: 'HANDLER_ERROR', message: 'second' })
    expect(job.error?.detail?.stderrTail).toBe('debug.fail: about to throw\n')
  })

  it('jobs failing one after another on one worker each carry their own stderr, however fast they come', async () => {
    // The lines reach the host on a pipe of their own, often after the failure, or with the next job's.
    const { spool } = await open({ concurrency: 1 })
    const ids = await spool.submit(Array.from({ length: 40 }, (_, i) => fail('throw', { message: `number ${i}` })))
    const jobs = await Promise.all(ids.map((id) => spool.wait(id)))
    expect(jobs.map((job) => job.error?.message)).toEqual(ids.map((_, i) => `number ${i}`))
    for (const job of jobs) expect(job.error?.detail?.stderrTail).toBe('debug.fail: about to throw\n')
  })

  it.each([
    ['exit', 'WORKER_CRASHED'],
    ['crash', 'WORKER_CRASHED'],
    ['garbage', 'WORKER_CRASHED'],
    ['hang', 'TIMEOUT'],
    ['block', 'TIMEOUT'],
  ])(
    'a job whose worker dies by %s (%s) shows only what it wrote to stderr, not the job before it on that worker',
    async (mode, code) => {
      // One worker: the job before writes to the same stderr the failing job's worker dies with.
      const { spool } = await open({ concurrency: 1, watchdogMs: 1500 })
      const [before, failing] = await spool.submit([fail('throw', { message: 'first' }), fail(mode)])
      expect((await spool.wait(before!)).error?.detail?.stderrTail).toBe('debug.fail: about to throw\n')
      const job = await spool.wait(failing!)
      expect(job.error?.code).toBe(code)
      expect(job.error?.detail?.stderrTail).toBe(`debug.fail: about to ${mode}\n`)
    },
  )

  it('a worker writing megabytes to stdout and stderr does not disturb the host', async () => {
    const { spool } = await open()
    const [noisy, quiet] = await spool.submit([fail('noisy'), sleep])
    expect(await spool.wait(noisy!)).toMatchObject({ state: 'succeeded', result: { wroteBytes: 8 * 1024 * 1024 } })
    expect((await spool.wait(quiet!)).state).toBe('succeeded')
  })

  it('a hung job is stopped by the watchdog with TIMEOUT, its process tree gone by the time it is reported', async () => {
    const { spool } = await open({ watchdogMs: 1500 })
    const [id] = await spool.submit([fail('hang', { child: true })])
    const child = await eventually(async () => loggedChildPids((await spool.get(id!))?.log)[0])
    const tree = [parentOf(child)!, child, ...descendants(child)]
    let runningAtFailed: number[] | undefined
    spool.subscribe(({ events }) => {
      for (const event of events)
        if (event.type === 'failed' && event.id === id) runningAtFailed = tree.filter(isRunning)
    })
    expect(tree.every(isRunning)).toBe(true)
    const job = await spool.wait(id!)
    expect(job.error?.code).toBe('TIMEOUT')
    expect(await eventually(() => runningAtFailed)).toEqual([])
    await eventually(() => !isAlive(child))
  })

  it('lets a job that keeps reporting run past the timeout, while silent ones beside and after it time out', async () => {
    const { spool } = await open({ concurrency: 2, watchdogMs: 1000 })
    // Progress every 250 ms for 3 s: three timeouts long, never silent for one.
    const [talking, silent] = await spool.submit([
      { kind: 'debug.sleep', input: { ms: 3000, steps: 12 } },
      fail('hang'),
    ])
    const timedOut = await spool.wait(silent!)
    expect(timedOut).toMatchObject({ state: 'failed', error: { code: 'TIMEOUT' } })
    expect((await spool.get(talking!))?.state).toBe('running')
    const [later] = await spool.submit([fail('hang')])
    expect(await spool.wait(later!)).toMatchObject({ state: 'failed', error: { code: 'TIMEOUT' } })
    expect(await spool.wait(talking!)).toMatchObject({ state: 'succeeded', attempts: 1 })
  })

  it('stops a job that blocks its worker from its first moment, never having said it started, with TIMEOUT', async () => {
    const { spool } = await open({ concurrency: 1, watchdogMs: 1500 })
    const [id] = await spool.submit([fail('block')])
    expect(await spool.wait(id!)).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'TIMEOUT' } })
    // Its worker was replaced: the next job runs.
    const [next] = await spool.submit([sleep])
    expect((await spool.wait(next!)).state).toBe('succeeded')
  })

  it.each([
    ['throws from a callback', 'uncaught', 'threw an error nothing caught'],
    ['rejects a promise nothing handles', 'unhandled', 'left a promise rejected that nothing handled'],
  ])('a job that %s fails HANDLER_ERROR saying so, and the pool recovers', async (_, mode, said) => {
    const { spool } = await open({ concurrency: 1 })
    const [id] = await spool.submit([fail(mode, { message: 'the codec gave up' })])
    const job = await spool.wait(id!)
    // Its first worker did not follow jobs and could not tell whose the error was: the job ran again, on one
    // that does (see followJobsEnv).
    expect(job).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'HANDLER_ERROR' } })
    expect(job.error?.message).toBe(`The job's code ${said}: the codec gave up`)
    expect(String(job.error?.detail?.stderrTail)).toContain('the codec gave up')
    const [next] = await spool.submit([sleep])
    expect((await spool.wait(next!)).state).toBe('succeeded')
  })

  it('an error a job left behind when it ended is its own: the job running when it goes off runs again, or is left alone', async () => {
    const { spool, events } = await open({ concurrency: 1 })
    // The next job runs in the same worker when the timer the first one left throws.
    const [first, next] = await spool.submit([fail('stray'), { kind: 'debug.sleep', input: { ms: 1000 } }])
    expect(await spool.wait(first!)).toMatchObject({ state: 'succeeded' })
    expect(await spool.wait(next!)).toMatchObject({ state: 'succeeded' })
    const ran = events('started').filter((event) => 'id' in event && event.id === next)
    expect(ran).toHaveLength(2)
    // On workers that follow jobs (as they do once one could not tell whose an error was), the same: the error
    // is told to be the first job's.
    const [again, innocent] = await spool.submit([fail('stray'), { kind: 'debug.sleep', input: { ms: 1000 } }])
    expect(await spool.wait(again!)).toMatchObject({ state: 'succeeded' })
    expect(await spool.wait(innocent!)).toMatchObject({ state: 'succeeded' })
    expect(events('started').filter((event) => 'id' in event && event.id === innocent)).toHaveLength(2)
    // A promise a job that ended left rejected is told to be that job's too, and changes nothing.
    const [rejecting, unharmed] = await spool.submit([
      fail('stray-rejection'),
      { kind: 'debug.sleep', input: { ms: 1000 } },
    ])
    expect(await spool.wait(rejecting!)).toMatchObject({ state: 'succeeded' })
    expect(await spool.wait(unharmed!)).toMatchObject({ state: 'succeeded' })
    expect(events('started').filter((event) => 'id' in event && event.id === unharmed)).toHaveLength(1)
  })

  it('retries a failed job with backoff until its attempts run out', async () => {
    const { spool, events } = await open({ backoff: { baseMs: 100, maxMs: 1000 } })
    const [id] = await spool.submit([{ ...fail('throw'), maxAttempts: 3 }])
    const job = await spool.wait(id!)
    expect(job).toMatchObject({ state: 'failed', attempts: 3 })
    const failures = await eventually(() => {
      const seen = events('failed').filter((event) => event.type === 'failed' && event.id === id)
      return seen.length === 3 && seen
    })
    expect(failures.map((event) => event.type === 'failed' && event.willRetry)).toEqual([true, true, false])
    const retried = failures[0]
    expect(retried?.type === 'failed' && retried.job.runAfter! - Date.now()).toBeLessThan(1000)
    // Its start and end are those of its last run, as "running for" and "took" read them, not of the first.
    const starts = events('started').flatMap((event) => (event.type === 'started' && event.id === id ? [event] : []))
    expect(starts).toHaveLength(3)
    const lastStart = starts[2]!.job.startedAt!
    expect(lastStart).toBeGreaterThan(starts[0]!.job.startedAt!)
    expect(job.startedAt).toBe(lastStart)
    expect((await spool.get(id!))?.startedAt).toBe(lastStart)
  })

  it('retry requeues failed jobs with the same id and runs them again', async () => {
    const { spool } = await open()
    const [id] = await spool.submit([fail('throw')])
    await spool.wait(id!)
    expect(await spool.retry({ ids: [id!, '424242'] })).toEqual([id])
    const again = await spool.wait(id!)
    expect(again).toMatchObject({ state: 'failed', attempts: 2 })
  })

  it('a worker that cannot even start fails the job with its stderr, instead of retrying forever', async () => {
    const entry = fileURLToPath(new URL('../support/broken-worker.mjs', import.meta.url))
    const { spool } = await open({ launcher: new NodeWorkerLauncher({ entry }) })
    const [id] = await spool.submit([{ kind: 'debug.sleep', input: { ms: 0 } }])
    const job = await spool.wait(id!)
    expect(job).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'WORKER_CRASHED', detail: { exitCode: 3 } },
    })
    expect(job.error?.detail?.stderrTail).toContain('Cannot find module')
  })
})
