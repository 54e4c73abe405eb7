// `npx tsx bench/conversion-overhead.ts [--quick]`: the same conversions with sharp and ffmpeg called directly
// and through Spool (worker processes, SQLite, staged outputs) at the same concurrency, side by side.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import PQueue from 'p-queue'
import sharp from 'sharp'
import { openSpool, type Spool } from '../src/main/jobs'
import { planPreset } from '../src/main/jobs/kinds/media-presets'
import { mediaTools } from '../src/main/jobs/tools/find-ffmpeg'
import { interleaved, median, spread } from './stats'

const run = promisify(execFile)

export interface OverheadFigure {
  scenario: string
  directMs: number
  spoolMs: number
  /** (Spool − direct) / direct, in percent; the target is ≤ 3. */
  overheadPct: number
  spreadPct: { direct: number; spool: number }
}

const concurrency = 2
const imageOptions = { format: 'webp', width: 640, quality: 80 } as const

async function makeImages(dir: string, count: number): Promise<string[]> {
  // Noise, so every image costs real decoding and encoding work, as photos do.
  const noise = await sharp({
    create: {
      width: 1600,
      height: 1200,
      channels: 3,
      background: 'black',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png({ compressionLevel: 1 })
    .toBuffer()
  const paths = Array.from({ length: count }, (_, i) => join(dir, `image-${i}.png`))
  await Promise.all(paths.map((path) => sharp(noise).png({ compressionLevel: 1 }).toFile(path)))
  return paths
}

async function makeVideo(ffmpeg: string, path: string, seconds: number): Promise<void> {
  await run(ffmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds)],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path],
  ])
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

/**
 * A fresh Spool per run, its workers warmed first (each has loaded sharp), as the direct baseline runs in a
 * process that has: what is compared is the cost of a conversion, not of starting processes.
 */
async function throughSpool(
  root: string,
  warmup: { kind: string; input: unknown },
  specs: { kind: string; input: unknown }[],
): Promise<number> {
  const spool = await openSpool({ dataDir: mkdtempSync(join(root, 'data-')), roots: [root], concurrency })
  try {
    await finish(
      spool,
      Array.from({ length: concurrency * 2 }, () => warmup),
    )
    return await timed(() => finish(spool, specs))
  } finally {
    await spool.close()
  }
}

async function finish(spool: Spool, specs: { kind: string; input: unknown }[]): Promise<void> {
  const ids = await spool.submit(specs)
  const jobs = await Promise.all(ids.map((id) => spool.wait(id)))
  const failed = jobs.find((job) => job.state !== 'succeeded')
  if (failed) throw new Error(`A benchmark job ${failed.state}: ${failed.error?.message}`)
}

/** From opening a Spool to its first conversion done: the worker start the comparison above leaves out. */
async function coldStart(root: string, spec: { kind: string; input: unknown }): Promise<number> {
  const started = performance.now()
  const spool = await openSpool({ dataDir: mkdtempSync(join(root, 'data-')), roots: [root], concurrency })
  try {
    await finish(spool, [spec])
    return performance.now() - started
  } finally {
    await spool.close()
  }
}

function freshFolder(root: string, name: string): string {
  const dir = join(root, `${name}-${Math.random().toString(36).slice(2)}`)
  mkdirSync(dir)
  return dir
}

function figure(scenario: string, runs: { direct: number[]; spool: number[] }): OverheadFigure {
  const directMs = median(runs.direct)
  const spoolMs = median(runs.spool)
  return {
    scenario,
    directMs,
    spoolMs,
    overheadPct: ((spoolMs - directMs) / directMs) * 100,
    spreadPct: { direct: spread(runs.direct) * 100, spool: spread(runs.spool) * 100 },
  }
}

export interface ConversionOverhead {
  figures: OverheadFigure[]
  /** Opening a Spool and finishing one small image: worker processes started from scratch. */
  coldStartMs: number
}

export async function runConversionOverhead(opts: { quick: boolean }): Promise<ConversionOverhead> {
  const ffmpeg = mediaTools().ffmpeg?.path
  if (!ffmpeg) throw new Error('ffmpeg is needed for the media benchmark')
  const root = mkdtempSync(join(tmpdir(), 'spool-bench-conversion-'))
  const rounds = opts.quick ? 1 : 3
  const imageCount = opts.quick ? 60 : 200
  const videoSeconds = opts.quick ? 20 : 60
  try {
    const images = await makeImages(freshFolder(root, 'images'), imageCount)
    const warmImage = (outputDir: string) => ({
      kind: 'image.convert',
      input: { inputs: [images[0]], outputDir, format: 'webp', width: 16, collision: 'overwrite' },
    })
    const coldStartMs = await coldStart(root, warmImage(freshFolder(root, 'cold')))
    const imageRuns = await interleaved(rounds, {
      direct: () => {
        const out = freshFolder(root, 'direct')
        const queue = new PQueue({ concurrency })
        return timed(() =>
          Promise.all(
            images.map((path, i) =>
              queue.add(() =>
                sharp(path)
                  .rotate()
                  .resize({ width: imageOptions.width, fit: 'inside' })
                  .webp({ quality: imageOptions.quality })
                  .toFile(join(out, `image-${i}.webp`)),
              ),
            ),
          ),
        )
      },
      spool: () => {
        const out = freshFolder(root, 'spool')
        return throughSpool(
          root,
          warmImage(freshFolder(root, 'warm')),
          images.map((path) => ({ kind: 'image.convert', input: { inputs: [path], outputDir: out, ...imageOptions } })),
        )
      },
    })

    const video = join(freshFolder(root, 'video'), 'test.mp4')
    await makeVideo(ffmpeg, video, videoSeconds)
    const mp4Args = planPreset('mp4', { formatName: 'mp4', hasVideo: true, hasAudio: true }, {}).args
    const videoRuns = await interleaved(rounds, {
      direct: () => {
        const out = join(freshFolder(root, 'direct'), 'test.mp4')
        const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-i', video, ...mp4Args, out]
        return timed(() => run(ffmpeg, args))
      },
      spool: () =>
        throughSpool(root, warmImage(freshFolder(root, 'warm')), [
          { kind: 'media.transcode', input: { input: video, preset: 'mp4', outputDir: freshFolder(root, 'spool') } },
        ]),
    })
    return {
      figures: [
        figure(`${imageCount} images → WebP 640 px, ${concurrency} at a time`, imageRuns),
        figure(`${videoSeconds} s 640×360 test video → MP4 (H.264 + AAC)`, videoRuns),
      ],
      coldStartMs,
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick')
  const { figures, coldStartMs } = await runConversionOverhead({ quick })
  console.log('\n| conversion | direct | through Spool | overhead | spread (direct / Spool) |\n|---|---|---|---|---|')
  for (const f of figures) {
    console.log(
      `| ${f.scenario} | ${(f.directMs / 1000).toFixed(2)} s | ${(f.spoolMs / 1000).toFixed(2)} s | ` +
        `${f.overheadPct >= 0 ? '+' : ''}${f.overheadPct.toFixed(1)}% | ±${f.spreadPct.direct.toFixed(0)}% / ±${f.spreadPct.spool.toFixed(0)}% |`,
    )
  }
  console.log(`\nCold start (open Spool, start workers, one small image): ${(coldStartMs / 1000).toFixed(2)} s`)
}
