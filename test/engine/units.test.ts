import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { retryDelay } from '../../src/main/jobs/backoff'
import { PathPolicy } from '../../src/main/jobs/path-policy'
import { PipelineDepth } from '../../src/main/jobs/pipeline-depth'
import { ProgressMeter } from '../../src/main/jobs/progress-meter'
import { RunOrder } from '../../src/main/jobs/run-order'
import { Scheduler } from '../../src/main/jobs/scheduler'
import { StderrTail } from '../../src/main/jobs/stderr-tail'
import { describeExit } from '../../src/main/jobs/worker-exit'
import { useTempDir } from '../support/temp-dir'

describe('progress meter', () => {
  it('derives the fraction from done/total and a smoothed rate and ETA', () => {
    const meter = new ProgressMeter()
    let progress = meter.update({ done: 0, total: 1000, unit: 'B' }, 1000)
    for (let t = 1; t <= 10; t++) progress = meter.update({ done: t * 50, total: 1000, unit: 'B' }, 1000 + t * 500)
    expect(progress.fraction).toBe(0.5)
    expect(progress.rate).toBeCloseTo(100, 0)
    expect(progress.etaMs).toBeGreaterThan(4000)
    expect(progress.etaMs).toBeLessThan(6000)
    expect(meter.complete()).toEqual({ fraction: 1, done: 1000, total: 1000, unit: 'B' })
  })

  it('keeps an unknown amount of work as a null fraction', () => {
    expect(new ProgressMeter().update({ fraction: null, message: 'probing' }, 5)).toEqual({
      fraction: null,
      message: 'probing',
    })
  })
})

describe('retry backoff', () => {
  it('doubles with each attempt, jittered, and stops at the ceiling', () => {
    const options = { baseMs: 1000, maxMs: 10_000 }
    expect(retryDelay(1, options, () => 0)).toBe(500)
    expect(retryDelay(1, options, () => 1)).toBe(1000)
    expect(retryDelay(3, options, () => 1)).toBe(4000)
    expect(retryDelay(20, options, () => 1)).toBe(10_000)
  })
})

describe('path policy', () => {
  const tempDir = useTempDir()

  it('allows what is under a root or granted, refuses the rest, after resolving symlinks', () => {
    const base = tempDir()
    const root = join(base, 'root')
    const outside = join(base, 'outside')
    mkdirSync(root)
    mkdirSync(outside)
    writeFileSync(join(root, 'in.txt'), 'x')
    writeFileSync(join(outside, 'secret.txt'), 'x')
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'))
    const policy = new PathPolicy([root])
    expect(policy.checkRead(join(root, 'in.txt'))).toBe(join(policy.roots[0]!, 'in.txt'))
    expect(() => policy.checkRead(join(root, 'link.txt'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN_PATH' }))
    expect(() => policy.checkRead(join(root, '..', 'outside', 'secret.txt'))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_PATH' }),
    )
    expect(() => policy.checkRead('relative/in.txt')).toThrow(expect.objectContaining({ code: 'FORBIDDEN_PATH' }))
    expect(() => policy.checkRead(join(root, 'missing.txt'))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
    expect(policy.checkWrite(join(root, 'new', 'folder'))).toContain('new')
    expect(() => policy.checkWrite(join(outside, 'x'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN_PATH' }))
    policy.grant([join(outside, 'secret.txt')])
    expect(policy.checkRead(join(root, 'link.txt'))).toContain('secret.txt')
    expect(() => policy.checkWrite(outside)).toThrow(expect.objectContaining({ code: 'FORBIDDEN_PATH' }))
  })

  it('refuses everything when nothing was granted', () => {
    const base = tempDir()
    writeFileSync(join(base, 'a.txt'), 'x')
    expect(() => new PathPolicy().checkRead(join(base, 'a.txt'))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_PATH' }),
    )
  })
})

describe('scheduler', () => {
  it('a delayed entry that is no longer current never starts its job early', async () => {
    const started: [string, number][] = []
    const t0 = Date.now()
    const scheduler = new Scheduler({
      concurrency: 1,
      depth: 1,
      run: async (id) => void started.push([id, Date.now() - t0]),
      onError: (error) => {
        throw error
      },
    })
    scheduler.enqueue('7', 0, Date.now() + 50)
    scheduler.remove('7')
    scheduler.enqueue('7', 0, Date.now() + 300)
    await new Promise((resolve) => setTimeout(resolve, 450))
    expect(started).toHaveLength(1)
    expect(started[0]![1]).toBeGreaterThanOrEqual(290)
    scheduler.stop()
  })

  it('runs a long queue by priority then id, a job added later taking its place in line', async () => {
    const ran: string[] = []
    const held: (() => void)[] = []
    const scheduler = new Scheduler({
      concurrency: 2,
      depth: 2,
      run: async (id) => {
        ran.push(id)
        // The first jobs hold their slots until every job is queued.
        if (ran.length <= 4) await new Promise<void>((resolve) => held.push(resolve))
      },
      onError: (error) => {
        throw error
      },
    })
    const priority = (n: number) => (n * 7919) % 5
    const ids = Array.from({ length: 3_000 }, (_, i) => String(i + 1))
    for (const id of ids) scheduler.enqueue(id, priority(Number(id)))
    // Added behind thousands of others, but higher than any: it runs as soon as a slot frees.
    scheduler.enqueue('5000', 9)
    // And a low one that goes to the end.
    scheduler.enqueue('4000', -1)
    expect(scheduler.ready).toBe(3_002 - 4)
    for (const release of held) release()
    await vi.waitFor(() => expect(ran).toHaveLength(3_002))
    const first = ran.slice(0, 4)
    const byOrder = ids
      .filter((id) => !first.includes(id))
      .sort((a, b) => priority(Number(b)) - priority(Number(a)) || Number(a) - Number(b))
    expect(ran.slice(4)).toEqual(['5000', ...byOrder, '4000'])
    scheduler.stop()
  })
})

describe('scheduler, jobs found waiting at start', () => {
  /** Reads `entries` (in run order) a page at a time, as the store does, counting the pages read. */
  function storedPages(entries: { id: string; priority: number; runAfter: number | null }[]) {
    let at = 0
    const pages = {
      read: 0,
      /** What the engine does after `remove` answers true: the store marks the job cancelled. */
      cancel(id: string) {
        const index = entries.findIndex((entry) => entry.id === id)
        if (index >= at) entries.splice(index, 1)
      },
      get done() {
        return at >= entries.length
      },
      next(limit: number) {
        pages.read++
        const page = entries.slice(at, at + limit)
        at += limit
        return page
      },
    }
    return pages
  }

  it('run in order of priority then id; one cancelled or queued again before its page is read runs at most once, in its turn', async () => {
    const ran: string[] = []
    let done!: () => void
    const finished = new Promise<void>((resolve) => (done = resolve))
    const scheduler = new Scheduler({
      concurrency: 1,
      depth: 1,
      run: async (id) => {
        ran.push(id)
        if (ran.length === 5_100) done()
      },
      onError: (error) => {
        throw error
      },
    })
    // As the store answers them: priority first, then id.
    const entries = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: String(4_991 + i), priority: 5, runAfter: null })),
      ...Array.from({ length: 4_990 }, (_, i) => ({ id: String(i + 1), priority: 0, runAfter: null })),
      ...Array.from({ length: 100 }, (_, i) => ({ id: String(5_001 + i), priority: -1, runAfter: null })),
    ]
    const pages = storedPages([...entries])
    scheduler.enqueueStored(pages)
    expect(pages.read).toBe(1) // the first jobs can start before the rest is read
    expect(scheduler.remove('4500')).toBe(true) // not read yet: the store decides (here: still queued)
    pages.cancel('4500')
    scheduler.enqueue('4000', 0) // retried before its page was read
    scheduler.enqueue('9002', 0) // submitted now: after every stored job of its priority, before lower ones
    await finished
    const expected = [
      ...entries.slice(0, 10).map((entry) => entry.id),
      ...Array.from({ length: 4_990 }, (_, i) => String(i + 1)).filter((id) => id !== '4500'),
      '9002',
      ...Array.from({ length: 100 }, (_, i) => String(5_001 + i)),
    ]
    expect(ran).toEqual(expected)
    expect(pages.done).toBe(true)
    scheduler.stop()
  })

  it('answers every queued job, the stored ones not read yet included', () => {
    const scheduler = new Scheduler({ concurrency: 1, depth: 1, run: async () => {}, onError: () => {} })
    scheduler.pause()
    const entries = Array.from({ length: 3_500 }, (_, i) => ({ id: String(i + 1), priority: 0, runAfter: null }))
    scheduler.enqueueStored(storedPages(entries))
    expect(scheduler.ids()).toHaveLength(3_500)
    scheduler.stop()
  })
})

describe('pipeline depth', () => {
  it('hands out many very short jobs at once, one waiting job behind longer ones, none behind long ones', () => {
    const depth = new PipelineDepth({ min: 2, max: 32, budgetMs: 2, longMs: 100 })
    // Jobs not seen yet may be long.
    expect(depth.value).toBe(1)
    for (let i = 0; i < 50; i++) depth.observe(0.05)
    expect(depth.value).toBe(32)
    for (let i = 0; i < 50; i++) depth.observe(0.5)
    expect(depth.value).toBe(4)
    depth.observe(60) // one job that turned out longer
    expect(depth.value).toBe(2)
    for (let i = 0; i < 5; i++) depth.observe(5_000)
    expect(depth.value).toBe(1)
    // Back to one waiting job only once jobs are clearly shorter again.
    for (let i = 0; i < 30; i++) depth.observe(90)
    expect(depth.value).toBe(1)
    for (let i = 0; i < 30; i++) depth.observe(40)
    expect(depth.value).toBe(2)
  })

  it('holds still while job times jitter around a boundary', () => {
    const depth = new PipelineDepth({ min: 2, max: 32, budgetMs: 2, longMs: 100 })
    for (let i = 0; i < 50; i++) depth.observe(0.1) // fits 20
    expect(depth.value).toBe(20)
    const seen = new Set<number>()
    for (let i = 0; i < 200; i++) {
      depth.observe(i % 2 ? 0.08 : 0.12) // fits between about 18 and 23
      seen.add(depth.value)
    }
    expect([...seen]).toEqual([20])
  })
})

describe('run order', () => {
  it('runs higher priority first, then by job id, wherever a job was added back', async () => {
    const order = new RunOrder()
    const ran: string[] = []
    const add = (id: string, priority = 0) => order.enqueue(async () => ran.push(id), { id, priority })
    for (const id of ['1', '2', '5', '9']) add(id)
    add('3', 5)
    add('4') // handed back after it was taken: it goes before 5, not to the back
    add('10')
    expect(order.size).toBe(7)
    for (let run = order.dequeue(); run; run = order.dequeue()) await run()
    expect(ran).toEqual(['3', '1', '2', '4', '5', '9', '10'])
    expect(order.size).toBe(0)
  })
})

describe('stderr tail', () => {
  it('keeps the end of a flood of bytes, what came since a mark, and no broken character where it was cut', () => {
    const tail = new StderrTail(15)
    const garbage = Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7919) % 256))
    for (let i = 0; i < 100; i++) tail.add(garbage)
    const mark = tail.written
    tail.add(Buffer.from('é failed: disk\n'))
    expect(tail.written).toBe(100 * 65_536 + Buffer.byteLength('é failed: disk\n'))
    // 15 bytes back from the end falls inside 'é' (2 bytes): its second half is dropped, not shown as '�'.
    expect(tail.text()).toBe(' failed: disk\n')
    expect(tail.since(mark)).toBe(' failed: disk\n')
    tail.add(Buffer.from('next\n'))
    expect(tail.since(mark + Buffer.byteLength('é failed: disk\n'))).toBe('next\n')
  })
})

describe('a worker that died mid-job', () => {
  it("is described in a user's terms: memory when stderr or a kill from outside points to it, else how it ended", () => {
    const v8 = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'
    expect(describeExit({ code: null, signal: 'SIGABRT' }, v8)).toMatchObject({ code: 'OUT_OF_MEMORY' })
    expect(describeExit({ code: null, signal: 'SIGKILL' }, '')).toMatchObject({
      code: 'WORKER_CRASHED',
      message: expect.stringMatching(/killed by SIGKILL .*memory running out/),
    })
    const crashed = describeExit({ code: null, signal: 'SIGSEGV' }, 'segfault')
    expect(crashed).toMatchObject({ code: 'WORKER_CRASHED', detail: { signal: 'SIGSEGV', stderrTail: 'segfault' } })
    expect(crashed.message).not.toMatch(/memory/)
    expect(describeExit({ code: 3, signal: null }, '').message).toBe(
      'The worker process exited with code 3 while running this job',
    )
  })
})
