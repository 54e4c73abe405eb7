import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

/** Said on every control that sends a command while the host cannot be reached; it comes back on reconnect. */
export const offlineReason = 'Lost the connection to Spool: this comes back when the connection does'

/**
 * Whether the host can be reached. A control that sends a command is disabled while it cannot, with
 * `offlineReason` as its title, rather than let the user press it only to see it fail.
 */
export const useConnectionStore = defineStore('connection', () => {
  const connected = ref(true)
  /** The title for a control that sends a command: why it is disabled, or its own title while connected. */
  const commandTitle = computed(() => (title?: string) => (connected.value ? title : offlineReason))
  return { connected, commandTitle }
})
