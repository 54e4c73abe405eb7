import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

/** Said on every control that sends a command while the host cannot be reached; it comes back on reconnect. */
export const offlineReason = 'Lost the connection to Spool: this comes back when the connection does'

/**
 * Whether the host can be reached. A control that sends a command is disabled while it cannot, with
 * `offlineReason` as its title, rather than let the user press it only to see it fail. While it cannot, what the
 * page shows is the state as it was at `lostAt`: running jobs and times left are shown as not known.
 */
export const useConnectionStore = defineStore('connection', () => {
  const connected = ref(true)
  /** When the connection was lost (epoch ms), while it is. */
  const lostAt = ref<number | null>(null)
  /** The title for a control that sends a command: why it is disabled, or its own title while connected. */
  const commandTitle = computed(() => (title?: string) => (connected.value ? title : offlineReason))
  function setConnected(up: boolean): void {
    if (up === connected.value) return
    connected.value = up
    lostAt.value = up ? null : Date.now()
  }
  return { connected, lostAt, commandTitle, setConnected }
})
