import { defineStore } from 'pinia'
import { computed, ref, shallowReactive, shallowRef, toRaw } from 'vue'
import type { SpoolApi } from '../../shared/commands'
import type { EventBatch } from '../../shared/events'
import {
  emptyCounts,
  isFinished,
  type Job,
  type JobId,
  type JobPage,
  type KindInfo,
  type QueueState,
} from '../../shared/job'
import { filterIds, isFilterActive, type JobFilter } from '../lib/filters'
import { JobTable } from './job-table'

/** The first index whose entry fails `before` (entries that pass all come first). */
function partitionPoint<T>(list: readonly T[], before: (item: T) => boolean): number {
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (before(list[mid]!)) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * The snapshot already holds the top of the list (running jobs, then the next queued ones), so the list paints
 * from it; the rest streams in oldest first, in pages small enough to take well under a frame's budget each.
 */
const pageSize = 2000

/**
 * The dashboard's view of the queue, fed by the event stream: a snapshot, then batches by `seq`; a gap (or a
 * reconnect) means a fresh snapshot. All jobs are then loaded page by page so the list can scroll through them.
 */
export const useJobsStore = defineStore('jobs', () => {
  const jobs = shallowReactive(new Map<JobId, Job>())
  const table = new JobTable(jobs, toRaw(jobs))
  const ids = shallowRef<JobId[]>([])
  const running = shallowRef<readonly JobId[]>([])
  /** How many of `ids` are running or queued (they come first). */
  const activeCount = ref(0)
  /** Bumped when jobs are added or removed or change state: what filters and counts depend on. */
  const structure = ref(0)
  const queue = ref<QueueState>({ paused: false, concurrency: 1, counts: emptyCounts(), finishedBeforeRun: 0 })
  const kinds = ref<KindInfo[]>([])
  const ready = ref(false)
  /** What the host says the user must know of how it started (`Snapshot.notice`), until it starts again. */
  const notice = ref<string | null>(null)
  const loadingPages = ref(false)
  const filter = ref<JobFilter>({ states: [], kind: '', text: '' })
  /** Finished count when the queue last went from idle to busy (the engine's, the same in every window). */
  const baselineFinished = computed(() => queue.value.finishedBeforeRun)
  /** How long jobs of each kind took lately: a queue of videos is not priced at the images that went before. */
  const lengthsByKind = new Map<string, { ms: number; count: number }>()
  const lengthsNoted = ref(0)
  let seq = 0
  let synced = false
  let generation = 0
  let buffered: EventBatch[] = []
  let api: SpoolApi | null = null

  function publish(): void {
    ids.value = table.ids
    running.value = table.running
    activeCount.value = table.activeCount
    structure.value++
  }

  function applyBatch(batch: EventBatch): void {
    for (const event of batch.events) {
      if (event.type === 'queue') setQueue(event.queue)
      else if (event.type === 'succeeded') noteDuration(event.job)
    }
    if (table.apply(batch.events)) publish()
    seq = batch.seq
  }

  /**
   * How long jobs of a kind take lately, for the whole-queue ETA: the mean of the first ten that succeeded, then
   * a running average that follows the latest.
   */
  function noteDuration(job: Job): void {
    if (job.startedAt === undefined || job.finishedAt === undefined) return
    const ms = Math.max(0, job.finishedAt - job.startedAt)
    const seen = lengthsByKind.get(job.kind)
    const count = (seen?.count ?? 0) + 1
    lengthsByKind.set(job.kind, { ms: seen ? seen.ms + Math.max(0.1, 1 / count) * (ms - seen.ms) : ms, count })
    lengthsNoted.value++
  }

  /**
   * What a queued job is expected to take: the mean, over the first thousand queued jobs listed, of how long
   * jobs of its kind took lately; null when none of their kinds has finished a job yet.
   */
  const typicalMs = computed(() => {
    void lengthsNoted.value
    const waiting = ids.value.slice(running.value.length, Math.min(activeCount.value, running.value.length + 1000))
    let total = 0
    let known = 0
    for (const id of waiting) {
      const kind = toRaw(jobs).get(id)?.kind
      const length = kind === undefined ? undefined : lengthsByKind.get(kind)
      if (length === undefined) continue
      total += length.ms
      known++
    }
    return known > 0 ? total / known : null
  })

  function setQueue(next: QueueState): void {
    queue.value = next
  }

  function receive(batch: EventBatch): void {
    if (!synced) {
      buffered.push(batch)
      return
    }
    if (batch.seq <= seq) return
    if (batch.seq !== seq + 1) {
      void resync()
      return
    }
    applyBatch(batch)
  }

  async function resync(): Promise<void> {
    if (!api) return
    const mine = ++generation
    synced = false
    buffered = []
    const snapshot = await api.snapshot()
    if (mine !== generation) return
    table.reset([...snapshot.active, ...snapshot.recent])
    seq = snapshot.seq
    queue.value = snapshot.queue
    notice.value = snapshot.notice ?? null
    synced = true
    const pending = buffered
    buffered = []
    publish()
    for (const batch of pending) receive(batch)
    ready.value = true
    await loadPages(mine)
  }

  async function loadPages(mine: number): Promise<void> {
    loadingPages.value = true
    const fetchPage = (cursor?: string) =>
      api!.list({ limit: pageSize, order: 'asc', ...(cursor !== undefined && { cursor }) })
    let next: Promise<JobPage> | undefined = fetchPage()
    while (next) {
      const page: JobPage = await next
      if (mine !== generation) return
      // The host prepares the next page while this one is merged.
      next = page.nextCursor === undefined ? undefined : fetchPage(page.nextCursor)
      if (table.mergePage(page.jobs)) publish()
      // Let the page paint and take input between pages.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    loadingPages.value = false
  }

  /** Subscribes first and snapshots second, so no batch falls between the two. */
  async function start(spool: SpoolApi): Promise<void> {
    api = spool
    spool.onEvents(receive)
    const [kindList] = await Promise.all([spool.kinds(), resync()])
    kinds.value = kindList
  }

  const visibleIds = computed<JobId[]>(() => {
    void structure.value
    if (!isFilterActive(filter.value)) return ids.value
    return filterIds(ids.value, toRaw(jobs), filter.value)
  })

  /** How many of the listed jobs are running or queued; the finished ones follow them. */
  const visibleActiveCount = computed(() => {
    void structure.value
    if (!isFilterActive(filter.value)) return activeCount.value
    const raw = toRaw(jobs)
    return partitionPoint(visibleIds.value, (id) => !isFinished(raw.get(id)!.state))
  })

  const runningJobs = computed(() => running.value.map((id) => jobs.get(id)).filter((job) => job !== undefined))
  /** Running jobs putting their outputs in place: their workers have moved on, they take no turn of "at once". */
  const savingCount = computed(() => runningJobs.value.filter((job) => job.saving).length)

  /** Ids of loaded jobs in the given states, without making the caller reactive to every job. */
  function idsInStates(states: readonly Job['state'][]): JobId[] {
    const raw = toRaw(jobs)
    return table.ids.filter((id) => states.includes(raw.get(id)!.state))
  }

  return {
    jobs,
    ids,
    notice,
    visibleIds,
    visibleActiveCount,
    runningJobs,
    savingCount,
    structure,
    queue,
    kinds,
    ready,
    loadingPages,
    filter,
    baselineFinished,
    typicalMs,
    start,
    resync,
    receive,
    setQueue,
    idsInStates,
  }
})
