import { onUnmounted, shallowRef, watch, type Ref } from 'vue'

/**
 * What a list shows, held still while the pointer moves over it. A job that finishes, is cancelled or retried
 * keeps its row (showing its new state) instead of the rows below sliding up under the pointer, so a click
 * lands on the job the user aimed at, not on the one that took its place a moment before. The list catches
 * up when the pointer leaves it or rests for `restMs`.
 */
export function useHeldOrder<T>(live: Ref<T>, restMs = 1500) {
  const shown = shallowRef(live.value)
  let rest: ReturnType<typeof setTimeout> | null = null

  watch(live, (next) => {
    if (rest === null) shown.value = next
  })

  function release(): void {
    if (rest !== null) clearTimeout(rest)
    rest = null
    shown.value = live.value
  }

  function hold(): void {
    if (rest !== null) clearTimeout(rest)
    rest = setTimeout(release, restMs)
  }

  onUnmounted(() => {
    if (rest !== null) clearTimeout(rest)
  })
  return { shown, hold, release }
}
