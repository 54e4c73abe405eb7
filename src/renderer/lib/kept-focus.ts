import { nextTick, watch, type Ref, type WatchSource } from 'vue'

/**
 * Keeps keyboard focus in a part of the page when a change takes away the control that had it: Cancel, once
 * its job is cancelled, is gone, and focus would fall out of the page. After each change, if focus was inside
 * `container` and is no longer, `restore` puts it back somewhere sensible there. Bind the handlers it answers
 * to the container's `focusin` and `focusout`.
 */
export function useKeptFocus(container: Ref<HTMLElement | null>, changes: WatchSource, restore: () => void) {
  let inside = false

  function onFocusIn(): void {
    inside = true
  }

  function onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null
    if (next) return void (inside = container.value?.contains(next) ?? false)
    // Focus went nowhere: a click on the page lets go of the container; a control taken out of it does not.
    const left = event.target as Node
    queueMicrotask(() => (inside = !left.isConnected))
  }

  watch(changes, async () => {
    await nextTick()
    if (inside && !container.value?.contains(document.activeElement)) restore()
  })

  return { onFocusIn, onFocusOut }
}

/**
 * The same for a list whose rows carry `data-job-id`: focus goes back to the list itself, with the row whose
 * control had it made the focused row.
 */
export function useKeptRowFocus(list: Ref<HTMLElement | null>, changes: WatchSource, focusRow: (id: string) => void) {
  let row: string | null = null
  const kept = useKeptFocus(list, changes, () => {
    if (row !== null) focusRow(row)
    list.value?.focus({ preventScroll: true })
  })

  function onFocusIn(event: FocusEvent): void {
    kept.onFocusIn()
    const element = (event.target as Element).closest<HTMLElement>('[data-job-id]')
    if (element) row = element.dataset.jobId ?? null
  }

  return { onFocusIn, onFocusOut: kept.onFocusOut }
}
