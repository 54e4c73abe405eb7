import { startSpoolApp } from './electron/start-app'

startSpoolApp()
