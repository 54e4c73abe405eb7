import { availableParallelism } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import { CheckpointThread } from '../db/checkpoint-thread'
import { DataDirLock } from '../db/data-dir-lock'
import { readGrants } from '../db/granted-paths'
import { JobStore } from '../db/job-store'
import { openDatabase } from '../db/open-database'
import { noteDamage } from '../db/damage-mark'
import { salvageText } from '../db/salvage'
import { PlacedOutputs } from '../db/placed-outputs'
import { readQueueSettings } from '../db/queue-settings'
import { EventHub } from './event-hub'
import { JobRunner } from './job-runner'
import { JobWaiters } from './job-waiters'
import { KindRegistry } from './kind-registry'
import { builtinKinds } from './kinds'
import { NodeWorkerLauncher } from './node-launcher'
import { OutputRecords } from './output-records'
import { PathPolicy } from './path-policy'
import { PipelineDepth } from './pipeline-depth'
import { QueueStatus } from './queue-status'
import { Scheduler } from './scheduler'
import { SpoolEngine } from './spool-engine'
import { StoppedJobParts } from './stopped-job-parts'
import type { Spool, SpoolOptions } from './types'
import { WorkerPool } from './worker-pool'
import { removeAbandonedTempRoots } from './worker/worker-temp'

const defaults = {
  cancelGraceMs: 5_000,
  watchdogMs: 120_000,
  workerHeapMb: 4096,
  maxInterruptions: 3,
  idleWorkerMs: 30_000,
  maxMessagesPerSecond: 25_000,
  backoff: { baseMs: 1_000, maxMs: 5 * 60_000 },
  /**
   * Jobs handed to a worker at once (see PipelineDepth): the one running and at least the next, unless jobs
   * take `longMs` or more (or are not known yet), which go one at a time. Shorter ones keep the next waiting:
   * 40 jobs of 100 ms on 2 workers took 2.07 s one per worker, 2.03 s so (ideal 2.00 s). Jobs of microseconds
   * go up to 128 at a time: 20,000 no-op jobs on 2 workers ran at 26,800–28,000/s with 32, 31,800–34,100/s so.
   */
  pipeline: { min: 2, max: 128, budgetMs: 2, longMs: 300 },
  /** A job running this long is a long one: the jobs waiting behind it go where they can start sooner. */
  stallMs: 50,
  /** The checkpoint thread waits for the first workers to start, this long at most. */
  checkpointAfterMs: 1_000,
  /** Interrupted jobs' temporary files are looked for once the first workers started, or after this long. */
  partSweepAfterMs: 1_000,
}

/**
 * Opens the job queue stored in `dataDir`: recovers jobs a crash left running, requeues what is waiting,
 * and starts running it. The one entry point for the Electron shell, the web host, tests and benchmarks.
 */
export async function openSpool(options: SpoolOptions): Promise<Spool> {
  const diagnostics = options.diagnostics ?? process.env.SPOOL_DIAGNOSTICS === '1'
  const kinds = (options.kinds ?? builtinKinds()).filter((kind) => diagnostics || !kind.diagnostic)
  if (diagnostics && !options.kinds)
    kinds.push(...builtinKinds({ diagnostics: true }).filter((kind) => kind.diagnostic))
  const policy = new PathPolicy(options.roots)
  const registry = new KindRegistry(kinds, policy)

  // Before anything is read: a second Spool on this queue must not recover the first one's running jobs.
  const lock = DataDirLock.acquire(options.dataDir)
  let opened: ReturnType<typeof openDatabase>
  try {
    opened = openDatabase(options.dataDir, options.maxPageCount ? { maxPageCount: options.maxPageCount } : {})
  } catch (error) {
    lock.release()
    throw error
  }
  const store = new JobStore(opened.db, (error) => {
    noteDamage(opened.db.name, error)
    console.error('Spool could not save its latest changes:', error)
  })
  // What the user handed Spool before: the jobs queued with those files may still run.
  policy.restore(readGrants(opened.db))
  // As the user last set them, unless the host says otherwise.
  const saved = readQueueSettings(opened.db)
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? saved.concurrency ?? availableParallelism()))
  const startPaused = options.startPaused ?? saved.paused ?? false
  const depth = new PipelineDepth(defaults.pipeline)
  const pool = new WorkerPool(options.launcher ?? new NodeWorkerLauncher(), {
    launch: {
      maxHeapMb: options.workerHeapMb ?? defaults.workerHeapMb,
      env: { SPOOL_WORKER: '1' },
      name: 'Spool worker',
    },
    limits: { maxMessagesPerSecond: defaults.maxMessagesPerSecond },
    maxWorkers: concurrency,
    depth: depth.value,
    stallMs: defaults.stallMs,
    idleMs: options.idleWorkerMs ?? defaults.idleWorkerMs,
  })
  // A worker takes longest to be ready: when jobs wait (or were running), workers start before anything else.
  const counts = store.counts()
  const prestarted = startPaused ? null : pool.prestart(Math.min(concurrency, counts.queued + counts.running))
  void removeAbandonedTempRoots()
  const recovered = store.recoverInterrupted(options.maxInterruptions ?? defaults.maxInterruptions, Date.now())
  store.commit()
  const checkpoints = new CheckpointThread(opened.db, {
    sqliteAddon: options.sqliteAddon,
    ...(prestarted && {
      startAfter: Promise.race([prestarted, delay(defaults.checkpointAfterMs, null, { ref: false })]),
    }),
  })

  const parts = new StoppedJobParts(registry)
  const leftovers = new StoppedJobParts(registry)
  const hub = new EventHub(16, () => store.commit())
  const cancelledQueued = recovered.cancelled.filter((job) => job.was === 'queued').length
  const status = new QueueStatus({
    ...counts,
    running: 0,
    queued: counts.queued + recovered.requeued.length - cancelledQueued,
    failed: counts.failed + recovered.interrupted.length,
    cancelled: counts.cancelled + recovered.cancelled.length,
  })
  const waiters = new JobWaiters()
  const scheduler = new Scheduler({
    concurrency,
    depth: depth.value,
    run: (id) => runner.run(id),
    onError: (error) => {
      // Recording a job's start or end met damage: the next start checks the file.
      noteDamage(opened.db.name, error)
      console.error('Spool could not run a job:', error)
    },
  })
  const runner: JobRunner = new JobRunner({
    store,
    outputRecords: new OutputRecords(store, new PlacedOutputs(opened.db)),
    hub,
    pool,
    scheduler,
    registry,
    status,
    waiters,
    depth,
    leftovers,
    timing: {
      stallMs: defaults.stallMs,
      cancelGraceMs: options.cancelGraceMs ?? defaults.cancelGraceMs,
      watchdogMs: options.watchdogMs ?? defaults.watchdogMs,
      backoff: { ...defaults.backoff, ...options.backoff },
    },
    queueChanged: () => hub.queueChanged(() => status.state(scheduler.paused, scheduler.concurrency)),
  })
  const engine = new SpoolEngine({
    dataDir: options.dataDir,
    store,
    hub,
    pool,
    scheduler,
    registry,
    policy,
    status,
    waiters,
    runner,
    checkpoints,
    parts,
    leftovers,
    lock,
    ...(opened.setAside && {
      startupNotice: opened.salvaged
        ? `The database could not be read whole (${opened.problem}); it was kept as ${opened.setAside}, and a ` +
          `new one was started ${salvageText(opened.salvaged)}`
        : `The database could not be read (${opened.problem}); it was kept as ${opened.setAside} and a new one ` +
          'was started',
    }),
  })
  if (startPaused) scheduler.pause()
  scheduler.enqueueStored(store.storedQueue())
  parts.add(recovered.stopped, {
    ms: defaults.partSweepAfterMs,
    ...(prestarted && { after: prestarted }),
  })
  return engine
}
