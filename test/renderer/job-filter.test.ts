import { describe, expect, it } from 'vitest'
import { filterIds } from '../../src/renderer/lib/filters'
import type { Job } from '../../src/shared/job'
import { job } from './fake-api'

const listed = [job(3), job(12, 'running'), job(13, 'failed')]
const jobs = new Map<string, Job>(listed.map((entry) => [entry.id, entry]))
const ids = listed.map((entry) => entry.id)
const search = (text: string) => filterIds(ids, jobs, { states: [], kind: '', text })

describe('searching the job list', () => {
  it('finds a job by its id typed as the row shows it, "#13", or bare', () => {
    expect(search('#13')).toEqual(['13'])
    expect(search(' #12 ')).toEqual(['12'])
    expect(search('13')).toEqual(['13'])
  })

  it('matches an id whole, and finds a label that contains a "#"', () => {
    jobs.set('3', { ...job(3), label: 'Take #1' })
    expect(search('#1')).toEqual(['3'])
    expect(search('#99')).toEqual([])
  })

  it('finds a label as it is shown, though the file name in it is isolated by invisible marks', () => {
    jobs.set('12', { ...job(12, 'running'), label: '\u2068photo.jpg\u2069 → WebP' })
    expect(search('photo.jpg → WebP')).toEqual(['12'])
    expect(search('\u2068photo.jpg\u2069 → webp')).toEqual(['12'])
    expect(search('photo.jpg → AVIF')).toEqual([])
  })
})
