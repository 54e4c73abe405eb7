import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { detectHost } from './api/host'
import { countText } from './lib/format'
import { hostKey } from './stores/job-actions'
import { useJobsStore } from './stores/jobs-store'
import { useToastStore } from './stores/toast-store'
import './styles/theme.css'

const host = detectHost(window)
const app = createApp(App).use(createPinia()).provide(hostKey, host)
const store = useJobsStore()
host.onReconnect?.(() => void store.resync())
store.start(host.api).catch((error: unknown) => useToastStore().error(error))

// Start-up work is spread over short tasks while the first snapshot is on its way, so that the page answers
// input throughout: the first number formatted loads the locale's data (tens of milliseconds), then the
// dashboard mounts; the job rows render when the snapshot is in.
setTimeout(() => {
  countText(0)
  setTimeout(() => app.mount('#app'), 0)
}, 0)
