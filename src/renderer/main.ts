import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { detectHost } from './api/host'
import { hostKey } from './stores/job-actions'
import { useJobsStore } from './stores/jobs-store'
import { useToastStore } from './stores/toast-store'
import './styles/theme.css'

const host = detectHost(window)
const app = createApp(App).use(createPinia()).provide(hostKey, host)
const store = useJobsStore()
host.onReconnect?.(() => void store.resync())
store.start(host.api).catch((error: unknown) => useToastStore().error(error))
app.mount('#app')
