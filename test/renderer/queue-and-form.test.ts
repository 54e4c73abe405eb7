import { describe, expect, it } from 'vitest'
import { queueProgress } from '../../src/renderer/lib/queue-progress'
import { inputFacts, resultFacts, resultOutputs, resultSkipped } from '../../src/renderer/lib/job-result'
import { buildSpecs, formFields, humanize } from '../../src/renderer/lib/schema-form'
import { emptyCounts, type KindInfo } from '../../src/shared/job'
import { job } from './fake-api'

describe('whole-queue progress', () => {
  it('counts jobs finished since the queue went busy plus the running fractions', () => {
    const counts = { ...emptyCounts(), succeeded: 12, queued: 2, running: 1 }
    const running = [{ ...job(1, 'running', 0.5), startedAt: 1000, progress: { fraction: 0.5, etaMs: 1000 } }]
    const progress = queueProgress(counts, 10, running, 1, 2000)
    expect(progress.done).toBe(2)
    expect(progress.total).toBe(5)
    expect(progress.fraction).toBeCloseTo(2.5 / 5)
    // 1 s left on the running job, then 2 queued jobs at its 2 s pace, one at a time.
    expect(progress.etaMs).toBe(5000)
  })

  it('has no estimate for a job that started after the clock last ticked', () => {
    const counts = { ...emptyCounts(), running: 1 }
    const running = [{ ...job(1, 'running', 0.1), startedAt: 5000, progress: { fraction: 0.1 } }]
    expect(queueProgress(counts, 0, running, 1, 4000).etaMs).toBeNull()
    expect(queueProgress(counts, 0, running, 1, 6000).etaMs).toBe(9000)
  })

  it('prices a backlog of short jobs behind long ones at the length of the jobs that finished lately', () => {
    const counts = { ...emptyCounts(), queued: 10_000, running: 2 }
    const long = (id: number) => ({
      ...job(id, 'running', 0.5),
      startedAt: 1_000,
      progress: { fraction: 0.5, etaMs: 60_000 },
    })
    // Two 2-minute jobs, half done; 10,000 queued jobs of about 10 ms each, two at a time.
    const progress = queueProgress(counts, 0, [long(1), long(2)], 2, 61_000, 10)
    expect(progress.etaMs).toBe((120_000 + 10_000 * 10) / 2)
    // Without finished jobs to go by, the running ones' length is all there is.
    expect(queueProgress(counts, 0, [long(1), long(2)], 2, 61_000).etaMs).toBe((120_000 + 10_000 * 120_000) / 2)
  })

  it('is empty when nothing is queued or running', () => {
    expect(queueProgress({ ...emptyCounts(), succeeded: 3 }, 3, [], 2, 0)).toMatchObject({ fraction: null, total: 0 })
  })
})

describe('forms generated from a kind schema', () => {
  const hash: KindInfo = {
    kind: 'file.hash',
    title: 'Checksum',
    accepts: [],
    available: true,
    inputSchema: {
      type: 'object',
      properties: {
        input: { type: 'string' },
        algorithm: { type: 'string', enum: ['sha256', 'md5'], default: 'sha256' },
        outputDir: { type: 'string' },
      },
      required: ['input'],
    },
  }

  it('folds switches, limits with defaults and output naming under "More options"', () => {
    const image: KindInfo = {
      ...hash,
      inputSchema: {
        type: 'object',
        properties: {
          width: { type: 'integer', minimum: 1 },
          format: { type: 'string', enum: ['webp', 'png'] },
          keepMetadata: { type: 'boolean', default: false },
          maxInputPixels: { type: 'integer', default: 268_402_689 },
          nameTemplate: { type: 'string' },
          collision: { type: 'string', enum: ['rename', 'skip'], default: 'rename' },
        },
      },
    }
    const advanced = formFields(image)
      .filter((field) => field.advanced)
      .map((field) => field.name)
    expect(advanced).toEqual(['keepMetadata', 'maxInputPixels', 'nameTemplate', 'collision'])
  })

  it('maps file, folder and enum fields to their editors', () => {
    expect(formFields(hash).map((field) => [field.name, field.kind])).toEqual([
      ['input', 'file'],
      ['algorithm', 'enum'],
      ['outputDir', 'folder'],
    ])
    expect(humanize('maxInputPixels')).toBe('Max input pixels')
  })

  it('makes one job per file for a kind that takes one file, leaving empty options out (the engine names them)', () => {
    const specs = buildSpecs(hash, formFields(hash), { algorithm: 'md5', outputDir: '' }, ['/r/a.txt', '/r/b.txt'], 1)
    expect(specs).toEqual([
      { kind: 'file.hash', input: { algorithm: 'md5', input: '/r/a.txt' } },
      { kind: 'file.hash', input: { algorithm: 'md5', input: '/r/b.txt' } },
    ])
  })

  it('makes one job per image too, though the kind takes a list: one unreadable file fails only its own job', () => {
    const images: KindInfo = {
      ...hash,
      kind: 'image.convert',
      inputSchema: {
        type: 'object',
        properties: {
          inputs: { type: 'array', items: { type: 'string' } },
          format: { type: 'string', enum: ['webp'] },
        },
        required: ['inputs', 'format'],
      },
    }
    const fields = formFields(images)
    expect(fields.find((field) => field.name === 'inputs')?.kind).toBe('files')
    expect(buildSpecs(images, fields, { format: 'webp' }, ['/r/a.png', '/r/b.png'], 1)).toEqual([
      { kind: 'image.convert', input: { format: 'webp', inputs: ['/r/a.png'] } },
      { kind: 'image.convert', input: { format: 'webp', inputs: ['/r/b.png'] } },
    ])
  })

  const media: KindInfo = {
    ...hash,
    kind: 'media.transcode',
    inputSchema: {
      type: 'object',
      properties: {
        input: { type: 'string' },
        preset: { type: 'string', enum: ['mp4', 'mp3'], optionLabels: { mp4: 'MP4 video (H.264 + AAC)' } },
        start: { type: 'number', minimum: 0, title: 'Start at (s)', description: 'Seconds into the input' },
        scale: {
          type: 'object',
          title: 'Scale to',
          properties: { width: { type: 'integer', title: 'Width (px)' }, height: { type: 'integer' } },
        },
      },
      required: ['input', 'preset'],
    },
  }

  it('labels fields by their titles and options by their names, with units, and edits the sides of a size', () => {
    const fields = formFields(media)
    expect(fields.map((field) => [field.name, field.label, field.kind])).toEqual([
      ['input', 'Input', 'file'],
      ['preset', 'Preset', 'enum'],
      ['start', 'Start at (s)', 'number'],
      ['scale.width', 'Scale to width (px)', 'integer'],
      ['scale.height', 'Scale to height', 'integer'],
    ])
    expect(fields[1]!.optionLabels).toEqual({ mp4: 'MP4 video (H.264 + AAC)' })
    expect(fields[2]!.hint).toBe('Seconds into the input')
    const values = { preset: 'mp4', start: 2, 'scale.width': 320, 'scale.height': '' }
    expect(buildSpecs(media, fields, values, ['/r/clip.mov'], 1)[0]!.input).toEqual({
      preset: 'mp4',
      start: 2,
      scale: { width: 320 },
      input: '/r/clip.mov',
    })
    expect(buildSpecs(media, fields, { preset: 'mp3' }, ['/r/clip.mov'], 1)[0]!.input).toEqual({
      preset: 'mp3',
      input: '/r/clip.mov',
    })
    expect(inputFacts({ preset: 'mp4', start: 2, scale: { width: 320 } }, fields)).toEqual([
      { label: 'Preset', value: 'MP4 video (H.264 + AAC)' },
      { label: 'Start at (s)', value: '2' },
      { label: 'Scale to width (px)', value: '320' },
    ])
  })
})

describe('what a finished job shows', () => {
  it('lists its output files by index, what it answered, and its input as labelled values', () => {
    const result = {
      outputs: [{ path: '/r/out/a.webp', size: 3700 }, { path: '/r/out/b.webp' }, { nope: 1 }],
      skipped: ['/r/out/c.webp'],
      digest: 'ab12',
      algorithm: 'sha256',
      nested: { ignored: true },
    }
    expect(resultOutputs(result)).toEqual([
      { path: '/r/out/a.webp', name: 'a.webp', size: 3700 },
      { path: '/r/out/b.webp', name: 'b.webp' },
    ])
    expect(resultSkipped(result)).toEqual(['/r/out/c.webp'])
    expect(resultFacts(result)).toEqual([
      { label: 'Digest', value: 'ab12' },
      { label: 'Algorithm', value: 'sha256' },
    ])
    expect(resultOutputs(null)).toEqual([])
    expect(inputFacts({ inputs: ['/r/a.png', '/r/b.png'], width: 640, scale: { width: 2 } })).toEqual([
      { label: 'Inputs', value: '/r/a.png\n/r/b.png', items: ['/r/a.png', '/r/b.png'] },
      { label: 'Width', value: '640' },
      { label: 'Scale', value: '{"width":2}' },
    ])
  })

  it('shows a large number in groups of digits, and a width as typed', () => {
    const grouped = new Intl.NumberFormat().format(268_402_689)
    expect(grouped).not.toBe('268402689')
    expect(inputFacts({ maxInputPixels: 268_402_689, width: 1200, quality: 0.5 })).toEqual([
      { label: 'Max input pixels', value: grouped },
      { label: 'Width', value: '1200' },
      { label: 'Quality', value: '0.5' },
    ])
  })

  it('shows a yes-or-no option as Yes or No, as the New job form asks it', () => {
    expect(inputFacts({ keepMetadata: true, overwrite: false })).toEqual([
      { label: 'Keep metadata', value: 'Yes' },
      { label: 'Overwrite', value: 'No' },
    ])
  })
})
