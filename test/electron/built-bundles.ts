import { join } from 'node:path'
import { build } from 'vite-plugin-electron'
import { electronBuilds } from '../../vite.config'

/** Builds the Electron bundles (main, preload, worker) exactly as `npm run build` does, under `dir/dist`. */
export async function buildElectronBundles(dir: string): Promise<void> {
  for (const options of electronBuilds()) {
    const outDir = join(dir, options.vite!.build!.outDir!)
    await build({
      ...options,
      vite: { ...options.vite, logLevel: 'silent', build: { ...options.vite!.build, outDir } },
    })
  }
}
