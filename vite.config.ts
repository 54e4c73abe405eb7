import vue from '@vitejs/plugin-vue'
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { PluginOption } from 'vite'
import type { ElectronOptions } from 'vite-plugin-electron'
import { defineConfig } from 'vitest/config'

const repoRoot = fileURLToPath(new URL('.', import.meta.url))

interface BundleOptions {
  entry: string
  outDir: string
  format: 'es' | 'cjs'
  fileName: string
  external: (string | RegExp)[]
  sourcemap?: boolean
  alias?: Record<string, string>
}

// Every entry goes through `build.lib` (not the plugin's `entry` shortcut, which always adds an ES build).
function bundle(options: BundleOptions): ElectronOptions {
  return {
    vite: {
      root: repoRoot,
      ...(options.alias && { resolve: { alias: options.alias } }),
      build: {
        outDir: options.outDir,
        emptyOutDir: true,
        sourcemap: options.sourcemap ?? true,
        minify: false,
        lib: { entry: options.entry, formats: [options.format], fileName: () => options.fileName },
        rollupOptions: { external: options.external },
      },
    },
  }
}

/**
 * The Electron bundles: main (ESM), the sandboxed preload (CommonJS, everything inlined but `electron`) and
 * the worker entry run by `utilityProcess` (CommonJS: Electron documents ESM for the main process only).
 * Runtime dependencies stay external and ship in node_modules, except that main links `better-sqlite3` to
 * its Electron-ABI loader (docs/electron.md).
 */
export function electronBuilds(): ElectronOptions[] {
  const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  const dependencies = Object.keys(pkg.dependencies ?? {}).filter((name) => name !== 'better-sqlite3')
  const external = [
    'electron',
    ...builtinModules,
    ...builtinModules.map((name) => `node:${name}`),
    ...dependencies.flatMap((name) => [name, new RegExp(`^${name}/`)]),
  ]
  return [
    bundle({
      entry: 'src/main/index.ts',
      outDir: 'dist/main',
      format: 'es',
      fileName: 'index.js',
      external,
      alias: { 'better-sqlite3': `${repoRoot}src/main/electron/electron-sqlite.ts` },
    }),
    bundle({
      entry: 'src/preload/index.ts',
      outDir: 'dist/preload',
      format: 'cjs',
      fileName: 'index.cjs',
      external: ['electron'],
      sourcemap: false,
    }),
    bundle({
      entry: 'src/main/jobs/worker/entry.ts',
      outDir: 'dist/worker',
      format: 'cjs',
      fileName: 'entry.cjs',
      external: [...external, 'better-sqlite3'],
    }),
  ]
}

async function electronPlugins(): Promise<PluginOption[]> {
  const { default: electron } = await import('vite-plugin-electron')
  // In dev, start Electron with its sandbox on (the plugin's default launch adds --no-sandbox); whichever
  // bundle finishes last starts it.
  return electron(electronBuilds().map((build) => ({ ...build, onstart: ({ startup }) => startup(['.']) })))
}

// One config for the renderer build and for vitest. The Electron builds run only with `--mode electron`
// and never under vitest.
export default defineConfig(async ({ mode }) => ({
  root: 'src/renderer',
  base: './',
  plugins: [vue(), ...(mode === 'electron' && !process.env.VITEST ? await electronPlugins() : [])],
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
}))
