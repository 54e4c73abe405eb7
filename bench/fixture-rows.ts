/** A row of the jobs table, as the fixtures insert it. */
export interface FixtureRow {
  id: number
  kind: string
  label: string
  state: string
  input: string
  attempts: number
  progress: string | null
  result: string | null
  error: string | null
  log: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
}

const kinds = ['image.convert', 'file.hash', 'media.transcode', 'file.compress', 'file.decompress'] as const
/** Of every 20 jobs: 10 images, 4 checksums, 3 videos, 2 compressions, 1 decompression. */
const kindOf = (id: number) => kinds[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4][id % 20]!]!

/** The label a finished fixture job has: unique per job, so a search for one finds just it. */
export function fixtureLabel(id: number): string {
  const n = String(id).padStart(7, '0')
  switch (kindOf(id)) {
    case 'image.convert':
      return `IMG_${n}.jpg`
    case 'media.transcode':
      return `clip-${n}.mov`
    case 'file.hash':
      return `installer-${n}.iso`
    default:
      return `backup-${n}.tar`
  }
}

/** A well-mixed hash of the id, so that a job's state does not follow from its kind. */
function mix(id: number): number {
  let h = Math.imul(id ^ (id >>> 16), 0x45d9f3b)
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return (h ^ (h >>> 16)) >>> 0
}

/** Finished job `id`: 94% succeeded, 4% failed, 2% cancelled, spread evenly through the history. */
export function finishedRow(id: number): FixtureRow {
  const kind = kindOf(id)
  const label = fixtureLabel(id)
  const folder = `/home/user/Documents/${2020 + (id % 6)}/batch-${Math.floor(id / 500)}`
  const roll = mix(id) % 100
  const state = roll < 4 ? 'failed' : roll < 6 ? 'cancelled' : 'succeeded'
  const created = Date.UTC(2025, 0, 1) + id * 1000
  const input =
    kind === 'image.convert'
      ? { inputs: [`${folder}/${label}`], outputDir: `${folder}/converted`, format: 'webp', quality: 80 }
      : kind === 'media.transcode'
        ? { input: `${folder}/${label}`, preset: 'mp4', outputDir: `${folder}/converted` }
        : kind === 'file.hash'
          ? { path: `${folder}/${label}`, algorithm: 'sha256' }
          : { input: `${folder}/${label}`, format: 'gzip', outputDir: folder }
  const size = 100_000 + (mix(id + 1) % 5_000_000)
  return {
    id,
    kind,
    label,
    state,
    input: JSON.stringify(input),
    attempts: 1,
    progress: JSON.stringify(
      state === 'succeeded' ? { fraction: 1, done: size, total: size, unit: 'bytes' } : { fraction: 0.4 },
    ),
    result:
      state === 'succeeded' ? JSON.stringify({ outputs: [{ path: `${folder}/converted/${label}.out`, size }] }) : null,
    error:
      state === 'failed'
        ? JSON.stringify({ code: 'HANDLER_ERROR', message: `Could not read ${label}: unexpected end of data` })
        : state === 'cancelled'
          ? JSON.stringify({ code: 'CANCELLED', message: 'Cancelled' })
          : null,
    log: state === 'failed' ? JSON.stringify([`reading ${label}`, 'unexpected end of data']) : null,
    created_at: created,
    started_at: created + 250,
    finished_at: created + 250 + (id % 9000),
  }
}
