import vue from '@vitejs/plugin-vue'
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { PluginOption } from 'vite'
import type { ElectronOptions } from 'vite-plugin-electron'
import { defineConfig } from 'vitest/config'

const repoRoot = fileURLToPath(new URL('.', import.meta.url))

/**
 * The Electron bundles: main (ESM), the sandboxed preload (CommonJS, everything inlined but `electron`) and
 * the worker entry run by `utilityProcess` (CommonJS). Runtime dependencies stay external and ship in node_modules,
 * except that main links `better-sqlite3` to its Electron-ABI loader (docs/electron.md).
 */
export function electronBuilds(): ElectronOptions[] {
  const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  const dependencies = Object.keys(pkg.dependencies ?? {})
  const nodeOnly = ['electron', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)]
  const bundle = (
    entry: string,
    outDir: string,
    external: (string | RegExp)[],
    extra: object = {},
  ): ElectronOptions => ({
    entry,
    vite: {
      root: repoRoot,
      build: {
        outDir,
        emptyOutDir: true,
        sourcemap: true,
        minify: false,
        rollupOptions: { external },
      },
      ...extra,
    },
  })
  const externalDeps = dependencies.flatMap((name) => [name, new RegExp(`^${name}/`)])
  return [
    bundle('src/main/index.ts', 'dist/main', [...nodeOnly, ...externalDeps.filter((dep) => dep !== 'better-sqlite3')], {
      resolve: { alias: { 'better-sqlite3': `${repoRoot}src/main/electron/electron-sqlite.ts` } },
    }),
    {
      // No top-level `entry`: the plugin would add an ES build of it too; the sandbox needs CommonJS only.
      vite: {
        root: repoRoot,
        build: {
          outDir: 'dist/preload',
          emptyOutDir: true,
          sourcemap: false,
          minify: false,
          lib: { entry: 'src/preload/index.ts', formats: ['cjs'], fileName: () => 'index.cjs' },
          rollupOptions: { external: ['electron'] },
        },
      },
    },
    {
      // CommonJS too: Electron documents ESM for the main process only, and a utility process loads CJS anywhere.
      vite: {
        root: repoRoot,
        build: {
          outDir: 'dist/worker',
          emptyOutDir: true,
          sourcemap: true,
          minify: false,
          lib: { entry: 'src/main/jobs/worker/entry.ts', formats: ['cjs'], fileName: () => 'entry.cjs' },
          rollupOptions: { external: [...nodeOnly, ...externalDeps] },
        },
      },
    },
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
