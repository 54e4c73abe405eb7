import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import type { JobEvent } from '../shared/events'
import { detectHost } from './api/host'
import { BrowserNotices } from './lib/browser-notices'
import { countText } from './lib/format'
import { hostKey } from './stores/job-actions'
import { useJobsStore } from './stores/jobs-store'
import { useSelectionStore } from './stores/selection-store'
import { useToastStore } from './stores/toast-store'
import './styles/theme.css'

type QueueEvent = Extract<JobEvent, { type: 'queue' }>

const host = detectHost(window)
const app = createApp(App).use(createPinia()).provide(hostKey, host)
const store = useJobsStore()
host.onReconnect?.(() => void store.resync())
// The desktop app notifies from its main process; in a browser, the page does, while its tab is hidden.
if (host.kind === 'web') {
  const notices = new BrowserNotices(window, (id) => (useSelectionStore().detailsId = id))
  host.api.onEvents((batch) => {
    // The batch's own count: the store may not have applied the batch yet.
    const queue = batch.events.findLast((event): event is QueueEvent => event.type === 'queue')?.queue
    notices.apply(batch, (queue ?? store.queue).counts.running)
  })
  host.askToNotify = () => notices.ask()
  host.notices = notices
}
store.start(host.api).catch((error: unknown) => useToastStore().error(error))

// Start-up work is spread over short tasks while the first snapshot is on its way, so that the page answers
// input throughout: the first number formatted loads the locale's data (tens of milliseconds), then the
// dashboard mounts; the job rows render when the snapshot is in.
setTimeout(() => {
  countText(0)
  setTimeout(() => app.mount('#app'), 0)
}, 0)
