import { ref, type Ref } from 'vue'

let clock: Ref<number> | null = null

/** One shared second-tick for elapsed times and ETAs, so rows do not each run a timer. */
export function useNow(): Ref<number> {
  if (!clock) {
    const now = ref(Date.now())
    setInterval(() => (now.value = Date.now()), 1000)
    clock = now
  }
  return clock
}
