// `npx tsx bench/conversion-overhead.ts [--quick]`: the same conversions with sharp and ffmpeg called directly
// and through Spool (worker processes, SQLite, staged outputs) with the same options and concurrency, side by side.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import PQueue from 'p-queue'
import sharp from 'sharp'
import type { Spool } from '../src/main/jobs'
import { imageConvert, imagePipeline } from '../src/main/jobs/kinds/image-convert'
import { planPreset } from '../src/main/jobs/kinds/media-presets'
import { mediaTools } from '../src/main/jobs/tools/find-ffmpeg'
import { interleaved, median, quartiles, spread } from './stats'
import { benchSpoolOptions } from './bench-spool'
import { childrenGone, cpuTicks, runCpu, timed } from './timed-run'
import { benchEngine, buildBenchWorker } from './worker-build'

const run = promisify(execFile)

export interface OverheadFigure {
  scenario: string
  directMs: number
  spoolMs: number
  /** The median of the rounds' own (Spool − direct) / direct, in percent; the target is ≤ 3. */
  overheadPct: number
  /** Each round's (Spool − direct) / direct, in percent: the two sides of a round run back to back, so they pair up. */
  roundPcts: number[]
  spreadPct: { direct: number; spool: number }
  /**
   * CPU time this process and its children (workers, ffmpeg) took per pass, median: work done, not waited for;
   * `spoolMain` is Spool's main process (this one) alone, the rest of Spool's being its workers'.
   */
  cpuMs: { direct: number; spool: number; spoolMain: number }
  /**
   * The most CPU other processes took during any timed run, in percent of all cores (Linux): a figure taken
   * while the machine was busy with other work says more about that work than about Spool.
   */
  othersCpuPct?: number
}

const concurrency = 2
/** Images per paired round: about a second of work on each side, so the machine's load barely drifts within a pair. */
const imagesPerRound = 20
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

/**
 * A fresh Spool per run, its workers warmed first (each has loaded sharp), as the direct baseline runs in a
 * process that has: what is compared is the cost of a conversion, not of starting processes.
 */
async function throughSpool(
  root: string,
  warmup: { kind: string; input: unknown },
  specs: { kind: string; input: unknown }[],
): Promise<number> {
  const { spool, close } = await warmSpool(root, warmup)
  try {
    return await timed(() => finish(spool, specs))
  } finally {
    await close()
  }
}

async function warmSpool(
  root: string,
  warmup: { kind: string; input: unknown },
): Promise<{ spool: Spool; close: () => Promise<void> }> {
  const processes = cpuTicks()?.ours.size ?? 0
  const spool = await openBenchSpool(root)
  const close = async () => {
    await spool.close()
    await childrenGone(processes)
  }
  try {
    await finish(
      spool,
      Array.from({ length: concurrency * 2 }, () => warmup),
    )
  } catch (error) {
    await close()
    throw error
  }
  return { spool, close }
}

/** The engine and worker built, as the app runs them (`npm run bench` builds them first, as does a run of this file). */
async function openBenchSpool(root: string): Promise<Spool> {
  const { openSpool } = await benchEngine()
  return openSpool(benchSpoolOptions(mkdtempSync(join(root, 'data-')), { roots: [root], concurrency }))
}

async function finish(spool: Spool, specs: { kind: string; input: unknown }[]): Promise<void> {
  const ids = await spool.submit(specs)
  const jobs = await Promise.all(ids.map((id) => spool.wait(id)))
  const failed = jobs.find((job) => job.state !== 'succeeded')
  if (failed) throw new Error(`A benchmark job ${failed.state}: ${failed.error?.message}`)
}

/** From opening a Spool to its first conversion done: the worker start the comparison above leaves out. */
async function coldStart(root: string, spec: { kind: string; input: unknown }): Promise<number> {
  const processes = cpuTicks()?.ours.size ?? 0
  const started = performance.now()
  const spool = await openBenchSpool(root)
  try {
    await finish(spool, [spec])
    return performance.now() - started
  } finally {
    await spool.close()
    await childrenGone(processes)
  }
}

function freshFolder(root: string, name: string): string {
  const dir = join(root, `${name}-${Math.random().toString(36).slice(2)}`)
  mkdirSync(dir)
  return dir
}

/**
 * Rounds of both contenders back to back, the order swapped each round, and how busy the machine was with other
 * work meanwhile. A pass is `roundsPerPass` rounds, together the scenario's whole work once on each side; the
 * overhead is the median of the rounds' paired ratios, so a swing in the machine's load between one round and
 * the next moves one ratio, not the figure.
 */
async function sideBySide(
  scenario: string,
  passes: number,
  roundsPerPass: number,
  contenders: { direct: (round: number) => Promise<number>; spool: (round: number) => Promise<number> },
): Promise<OverheadFigure> {
  runCpu.othersPct = undefined
  const cpu = { direct: [] as number[], spool: [] as number[], spoolMain: [] as number[] }
  const counted = (side: 'direct' | 'spool') => async (round: number) => {
    const ms = await contenders[side](round)
    cpu[side].push(runCpu.oursMs)
    if (side === 'spool') cpu.spoolMain.push(runCpu.ownMs)
    return ms
  }
  const runs = await interleaved(passes * roundsPerPass, { direct: counted('direct'), spool: counted('spool') })
  const perPass = (values: number[]) =>
    Array.from({ length: passes }, (_, pass) =>
      values.slice(pass * roundsPerPass, (pass + 1) * roundsPerPass).reduce((sum, ms) => sum + ms, 0),
    )
  const roundPcts = runs.spool.map((ms, i) => (ms / runs.direct[i]! - 1) * 100)
  const others = runCpu.othersPct
  return {
    scenario,
    directMs: median(perPass(runs.direct)),
    spoolMs: median(perPass(runs.spool)),
    overheadPct: median(roundPcts),
    roundPcts,
    spreadPct: { direct: spread(perPass(runs.direct)) * 100, spool: spread(perPass(runs.spool)) * 100 },
    cpuMs: {
      direct: median(perPass(cpu.direct)),
      spool: median(perPass(cpu.spool)),
      spoolMain: median(perPass(cpu.spoolMain)),
    },
    ...(others !== undefined && { othersCpuPct: others }),
  }
}

export interface ConversionOverhead {
  figures: OverheadFigure[]
  /** Opening a Spool and finishing one small image: worker processes started from scratch (not in a quick run). */
  coldStartMs?: number
}

export async function runConversionOverhead(opts: { quick: boolean }): Promise<ConversionOverhead> {
  const ffmpeg = mediaTools().ffmpeg?.path
  if (!ffmpeg) throw new Error('ffmpeg is needed for the media benchmark')
  const root = mkdtempSync(join(tmpdir(), 'spool-bench-conversion-'))
  const passes = opts.quick ? 1 : 3
  const imageCount = opts.quick ? 12 : 200
  const videoSeconds = opts.quick ? 5 : 60
  try {
    const images = await makeImages(freshFolder(root, 'images'), imageCount)
    const warmImage = (outputDir: string) => ({
      kind: 'image.convert',
      input: { inputs: [images[0]], outputDir, format: 'webp', width: 16, collision: 'overwrite' },
    })
    // A quick run leaves out the cold start: three Spools started from scratch are its slowest part.
    const coldStartMs = opts.quick ? undefined : await coldStart(root, warmImage(freshFolder(root, 'cold')))
    // The job's own pipeline and options (pixel limit, failOn, autorotate, fit), written the plain way.
    const directOptions = imageConvert.input.parse({ inputs: [images[0]], ...imageOptions })
    // Rounds of a few images (about a second on each side), each image in one round of every pass.
    const imageRounds = Math.ceil(imageCount / imagesPerRound)
    const roundImages = (round: number) =>
      images.slice((round % imageRounds) * imagesPerRound, ((round % imageRounds) + 1) * imagesPerRound)
    // One Spool for all rounds, as the app keeps running: each round's jobs go to workers already warm.
    const warm = await warmSpool(root, warmImage(freshFolder(root, 'warm')))
    let imageFigure: OverheadFigure
    try {
      imageFigure = await sideBySide(
        `${imageCount} images → WebP 640 px, ${concurrency} at a time`,
        passes,
        imageRounds,
        {
          direct: (round) => {
            const out = freshFolder(root, 'direct')
            const queue = new PQueue({ concurrency })
            return timed(() =>
              Promise.all(
                roundImages(round).map((path, i) =>
                  queue.add(() => imagePipeline(sharp, path, directOptions).toFile(join(out, `image-${i}.webp`))),
                ),
              ),
            )
          },
          spool: (round) => {
            const out = freshFolder(root, 'spool')
            const specs = roundImages(round).map((path) => ({
              kind: 'image.convert',
              input: { inputs: [path], outputDir: out, ...imageOptions },
            }))
            return timed(() => finish(warm.spool, specs))
          },
        },
      )
    } finally {
      await warm.close()
    }

    const video = join(freshFolder(root, 'video'), 'test.mp4')
    await makeVideo(ffmpeg, video, videoSeconds)
    const mp4Args = planPreset(
      'mp4',
      { formatName: 'mp4', hasVideo: true, hasAudio: true, subtitleCodecs: [] },
      {},
    ).args
    // One conversion a round, whose pairs swing by ±5% on this kind of machine: the median needs more than three.
    const videoPasses = opts.quick ? 1 : 7
    const videoFigure = await sideBySide(`${videoSeconds} s 640×360 test video → MP4 (H.264 + AAC)`, videoPasses, 1, {
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
      figures: [imageFigure, videoFigure],
      coldStartMs,
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick')
  await buildBenchWorker()
  console.log(`Load average ${loadavg()[0]!.toFixed(2)} at the start`)
  const { figures, coldStartMs } = await runConversionOverhead({ quick })
  console.log(
    `\nLoad average ${loadavg()[0]!.toFixed(2)} at the end\n` +
      '\n| conversion | direct | through Spool | overhead (median round) | middle half of rounds | CPU: direct / Spool (its main process) | spread (direct / Spool) | other load |\n' +
      '|---|---|---|---|---|---|---|---|',
  )
  const signed = (pct: number) => `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`
  for (const f of figures) {
    console.log(
      `| ${f.scenario} | ${(f.directMs / 1000).toFixed(2)} s | ${(f.spoolMs / 1000).toFixed(2)} s | ` +
        `${signed(f.overheadPct)} | ${quartiles(f.roundPcts).map(signed).join(' to ')} of ${f.roundPcts.length} | ` +
        `${(f.cpuMs.direct / 1000).toFixed(2)} s / ${(f.cpuMs.spool / 1000).toFixed(2)} s ` +
        `(${(f.cpuMs.spoolMain / 1000).toFixed(2)} s) | ` +
        `±${f.spreadPct.direct.toFixed(0)}% / ±${f.spreadPct.spool.toFixed(0)}% | ` +
        `${f.othersCpuPct === undefined ? 'unknown' : `up to ${f.othersCpuPct.toFixed(0)}% of the CPU`} |`,
    )
  }
  if (coldStartMs !== undefined)
    console.log(`\nCold start (open Spool, start workers, one small image): ${(coldStartMs / 1000).toFixed(2)} s`)
}
