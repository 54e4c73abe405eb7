import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const outDir = fileURLToPath(new URL('./results/worker/', import.meta.url))
/** The benchmark worker bundled as the app bundles its worker, rebuilt at the start of every run. */
export const builtWorker = `${outDir}bench-worker.js`

/**
 * Bundles bench-worker.ts (Spool's worker entry plus the benchmark kinds) into one ES module, dependencies
 * left in node_modules, as the app's build bundles its worker: workers start from built JavaScript, as they
 * do in the app, instead of compiling TypeScript through tsx at every start.
 */
export async function buildBenchWorker(): Promise<void> {
  const pkg = JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { dependencies?: object }
  const dependencies = Object.keys(pkg.dependencies ?? {})
  // Loaded here only: every process that merely starts Spools (and measures their memory) stays without it.
  const { build } = await import('vite')
  await build({
    configFile: false,
    root: projectRoot,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      ssr: true,
      lib: { entry: fileURLToPath(new URL('./bench-worker.ts', import.meta.url)), formats: ['es'] },
      rollupOptions: {
        output: { entryFileNames: 'bench-worker.js' },
        external: [
          ...builtinModules,
          ...builtinModules.map((name) => `node:${name}`),
          ...dependencies.flatMap((name) => [name, new RegExp(`^${name}/`)]),
        ],
      },
    },
  })
  if (!existsSync(builtWorker)) throw new Error(`the benchmark worker was not built at ${builtWorker}`)
}
