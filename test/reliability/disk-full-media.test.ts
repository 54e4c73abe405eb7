import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { probe, systemFfmpeg } from '../support/media-fixtures'
import { fillDisk, mountSmallDisk } from '../support/small-disk'
import { useTempDir } from '../support/temp-dir'
import { useSpool } from '../support/test-spool'

const run = promisify(execFile)
const mib = 2 ** 20

/** A real small disk, so the ENOSPC ffmpeg meets is the kernel's. */
const disk = mountSmallDisk(8)
if (disk.skipReason) console.warn(`media disk-full test skipped: ${disk.skipReason}`)
afterAll(() => disk.unmount?.())

describe('a media conversion onto a full disk', () => {
  const open = useSpool()
  const tempDir = useTempDir()

  it.skipIf(disk.skipReason)(
    'fails DISK_FULL when the disk fills mid-write, leaving no partial file; retried once space is back, it succeeds',
    async () => {
      if (!disk.dir) return
      const inputs = tempDir()
      const folder = join(disk.dir, 'out')
      mkdirSync(folder)
      // One minute of compressed audio (about 240 KB) becomes about 5 MiB of WAV: the free-space estimate
      // (ten times the input) passes, and the disk fills while ffmpeg writes.
      const recording = join(inputs, 'interview.mp3')
      await run(systemFfmpeg, [
        ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=60'],
        ...['-ac', '1', '-c:a', 'libmp3lame', '-b:a', '32k', recording],
      ])
      const filler = fillDisk(folder, 3 * mib)

      const { spool } = await open({ roots: [inputs, folder] })
      const [id] = await spool.submit([
        { kind: 'media.transcode', input: { input: recording, preset: 'wav', outputDir: folder } },
      ])
      const failed = await spool.wait(id!)
      expect(failed).toMatchObject({ state: 'failed', error: { code: 'DISK_FULL' } })
      // Met while writing, not refused up front by the estimate.
      expect(failed.error!.message).toMatch(/is full/)
      expect(failed.error!.message).toContain(folder)
      expect(readdirSync(folder)).toEqual(['filler.bin'])

      rmSync(filler)
      await spool.retry({ ids: [id!] })
      expect(await spool.wait(id!)).toMatchObject({ state: 'succeeded', attempts: 2 })
      expect(readdirSync(folder)).toEqual(['interview.wav'])
      const probed = await probe(join(folder, 'interview.wav'))
      expect(probed.streams.map((stream) => stream.codec_name)).toEqual(['pcm_s16le'])
      expect(Math.abs(probed.durationSec - 60)).toBeLessThan(0.5)
    },
    60_000,
  )
})
