import { ref, type Ref } from 'vue'

let clock: Ref<number> | null = null
let held = false

/** One shared second-tick for elapsed times and ETAs, so rows do not each run a timer. */
export function useNow(): Ref<number> {
  if (!clock) {
    const now = ref(Date.now())
    setInterval(() => {
      if (!held) now.value = Date.now()
    }, 1000)
    clock = now
  }
  return clock
}

/**
 * Stops the shared clock while the page has lost its connection, and starts it again: what the page shows is
 * then the last it knew, not running times that go on counting for jobs that may have ended meanwhile.
 */
export function holdClock(hold: boolean): void {
  held = hold
  if (!hold && clock) clock.value = Date.now()
}
