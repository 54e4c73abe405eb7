import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join, sep } from 'node:path'

export interface ToolLocation {
  path: string
  /** Where it was found, for the log and the "unavailable" reason. */
  source: 'env' | 'bundled' | 'path'
}

const exe = process.platform === 'win32' ? '.exe' : ''

function isExecutable(path: string | undefined): path is string {
  if (!path) return false
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (folder && isExecutable(join(folder, name + exe))) return join(folder, name + exe)
  }
  return undefined
}

function bundledFfmpeg(): string | undefined {
  try {
    // Loaded lazily and guarded: the package picks a platform binary and throws where it has none.
    const bundled = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path?: string }
    // In a packaged app the binary is unpacked beside the archive (asarUnpack): nothing runs from inside it.
    return bundled.path?.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`)
  } catch {
    return undefined
  }
}

/** ffmpeg from `FFMPEG_PATH`, else the bundled `@ffmpeg-installer/ffmpeg` binary, else `PATH`. */
export function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): ToolLocation | undefined {
  if (env.FFMPEG_PATH) return isExecutable(env.FFMPEG_PATH) ? { path: env.FFMPEG_PATH, source: 'env' } : undefined
  const bundled = bundledFfmpeg()
  if (isExecutable(bundled)) return { path: bundled, source: 'bundled' }
  const found = onPath('ffmpeg', env)
  return found ? { path: found, source: 'path' } : undefined
}

export interface MediaTools {
  ffmpeg?: ToolLocation
}

let cached: MediaTools | undefined

/** Looked up once per process: `kinds` asks often and must stay cheap. */
export function mediaTools(): MediaTools {
  if (cached) return cached
  const ffmpeg = locateFfmpeg()
  cached = ffmpeg ? { ffmpeg } : {}
  return cached
}

/** Why there is no ffmpeg, in words for the kinds list. */
export function missingFfmpegReason(env: NodeJS.ProcessEnv = process.env): string {
  return env.FFMPEG_PATH
    ? `FFMPEG_PATH is set to ${env.FFMPEG_PATH}, which is not an executable file`
    : 'ffmpeg was not found (set FFMPEG_PATH, install @ffmpeg-installer/ffmpeg, or put ffmpeg on PATH)'
}
