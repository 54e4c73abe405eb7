import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// One config for the renderer build and for vitest. The Electron build plugins are added only outside vitest.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [vue()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
  },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
