import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { JobId } from '../../shared/job'

/** Which jobs are selected (for bulk actions), which row has the keyboard, and which job's details are open. */
export const useSelectionStore = defineStore('selection', () => {
  const selected = shallowRef<ReadonlySet<JobId>>(new Set())
  const anchor = ref<JobId | null>(null)
  const focused = ref<JobId | null>(null)
  const detailsId = ref<JobId | null>(null)

  function set(ids: Iterable<JobId>): void {
    selected.value = new Set(ids)
  }

  function only(id: JobId): void {
    set([id])
    anchor.value = id
    focused.value = id
  }

  function toggle(id: JobId): void {
    const next = new Set(selected.value)
    if (!next.delete(id)) next.add(id)
    selected.value = next
    anchor.value = id
    focused.value = id
  }

  /** Selects from the anchor to `id` in the order the list shows (shift-click, shift-arrow). */
  function range(order: readonly JobId[], id: JobId): void {
    const from = anchor.value === null ? -1 : order.indexOf(anchor.value)
    const to = order.indexOf(id)
    if (from < 0 || to < 0) return only(id)
    set(order.slice(Math.min(from, to), Math.max(from, to) + 1))
    focused.value = id
  }

  /** Drops selected ids that are no longer listed (removed, or filtered away). */
  function keepOnly(listed: readonly JobId[]): void {
    if (selected.value.size === 0) return
    const visible = new Set(listed)
    const kept = [...selected.value].filter((id) => visible.has(id))
    if (kept.length !== selected.value.size) set(kept)
  }

  return {
    selected,
    anchor,
    focused,
    detailsId,
    count: computed(() => selected.value.size),
    only,
    toggle,
    range,
    set,
    keepOnly,
    clear: () => set([]),
  }
})
