import { inject, type InjectionKey } from 'vue'
import type { JobSpec, JobId } from '../../shared/job'
import { finishedStates } from '../../shared/job'
import { limits } from '../../shared/limits'
import type { Host } from '../api/host'
import { useJobsStore } from './jobs-store'
import { useToastStore } from './toast-store'

export const hostKey: InjectionKey<Host> = Symbol('host')

export function useHost(): Host {
  const host = inject(hostKey)
  if (!host) throw new Error('The dashboard was mounted without a host')
  return host
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/**
 * What the user can do to jobs and the queue. Each action reports a failure as a toast with the command's
 * typed message; none throws into a component.
 */
export function useJobActions() {
  const { api } = useHost()
  const toasts = useToastStore()
  const store = useJobsStore()

  async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action()
    } catch (error) {
      toasts.error(error)
      return undefined
    }
  }

  async function forIds(ids: readonly JobId[], run: (ids: JobId[]) => Promise<number>): Promise<number> {
    let total = 0
    for (const part of chunks(ids, limits.idsPerCommand)) total += await run(part)
    return total
  }

  return {
    /** Answers the new ids; a refusal throws, for the form to show beside its fields. */
    submit: async (specs: JobSpec[]) => {
      const ids: JobId[] = []
      for (const part of chunks(specs, limits.specsPerSubmit)) ids.push(...(await api.submit(part)))
      return ids
    },
    cancel: (ids: readonly JobId[]) =>
      attempt(async () => {
        const cancelled = await forIds(ids, (part) => api.cancel({ ids: part }))
        const done = ids.length - cancelled
        if (done > 0) toasts.info(`${plural(done, 'job')} had already finished: nothing to cancel`)
        return cancelled
      }),
    retry: (ids: readonly JobId[]) =>
      attempt(() => forIds(ids, async (part) => (await api.retry({ ids: part })).length)),
    remove: (ids: readonly JobId[]) =>
      attempt(async () => {
        const removed = await forIds(ids, (part) => api.remove({ ids: part }))
        const kept = ids.length - removed
        if (kept > 0) toasts.info(`${plural(kept, 'job')} still queued or running: cancel first, then remove`)
        return removed
      }),
    pause: () => attempt(async () => store.setQueue(await api.pause())),
    resume: () => attempt(async () => store.setQueue(await api.resume())),
    setConcurrency: (value: number) => attempt(async () => store.setQueue(await api.setConcurrency(value))),
    clearFinished: () =>
      attempt(async () => {
        const removed = await forIds(store.idsInStates(finishedStates), (part) => api.remove({ ids: part }))
        toasts.info(`Cleared ${plural(removed, 'finished job')}`)
      }),
    /** Lets the running jobs finish and cancels everything still waiting. */
    stopAfterCurrent: () =>
      attempt(async () => {
        const cancelled = await forIds(store.idsInStates(['queued']), (part) => api.cancel({ ids: part }))
        toasts.info(`Cancelled ${plural(cancelled, 'queued job')}; running jobs finish`)
      }),
    details: (id: JobId) => attempt(() => api.get(id)),
  }
}
