import { existsSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const outDir = fileURLToPath(new URL('./results/worker/', import.meta.url))
/** The benchmark worker bundled as the app bundles its worker, rebuilt at the start of every run. */
export const builtWorker = `${outDir}bench-worker.js`
/** The engine (`src/main/jobs`) bundled as the desktop app's main process bundles it. */
export const builtEngine = `${outDir}spool-engine.js`

type Engine = typeof import('../src/main/jobs')

/**
 * The engine as the app ships it, built JavaScript, for the scenarios that measure its own CPU cost per job
 * (the benchmark itself runs through tsx, whose compiled output differs); the source when no build exists.
 */
export async function benchEngine(): Promise<Engine> {
  return existsSync(builtEngine) ? ((await import(builtEngine)) as Engine) : import('../src/main/jobs')
}

/**
 * Bundles bench-worker.ts (Spool's worker entry plus the benchmark kinds) and the engine into ES modules,
 * dependencies left in node_modules, as the app's build bundles its worker and main process: workers start
 * from built JavaScript, as they do in the app, instead of compiling TypeScript through tsx at every start.
 */
export async function buildBenchWorker(): Promise<void> {
  const pkg = JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { dependencies?: object }
  const dependencies = Object.keys(pkg.dependencies ?? {})
  // Loaded here only: every process that merely starts Spools (and measures their memory) stays without it.
  const { build } = await import('vite')
  const bundle = (entry: string, fileName: string, emptyOutDir: boolean) =>
    build({
      configFile: false,
      root: projectRoot,
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir,
        minify: false,
        sourcemap: false,
        ssr: true,
        lib: { entry, formats: ['es'] },
        rollupOptions: {
          output: { entryFileNames: fileName },
          external: [
            ...builtinModules,
            ...builtinModules.map((name) => `node:${name}`),
            ...dependencies.flatMap((name) => [name, new RegExp(`^${name}/`)]),
          ],
        },
      },
    })
  await bundle(fileURLToPath(new URL('./bench-worker.ts', import.meta.url)), 'bench-worker.js', true)
  await bundle(`${projectRoot}src/main/jobs/index.ts`, 'spool-engine.js', false)
  for (const file of [builtWorker, builtEngine]) {
    if (!existsSync(file)) throw new Error(`the benchmark bundle was not built at ${file}`)
  }
}
