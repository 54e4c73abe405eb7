import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PathPolicy } from '../../src/main/jobs/path-policy'
import { browse } from '../../src/main/web/browse'
import { limits } from '../../src/shared/limits'
import { useTempDir } from '../support/temp-dir'

describe('the web file browser’s listing', () => {
  const tempDir = useTempDir()

  it('lists folders, then files, in the order a file manager shows them: img2 before img10', async () => {
    const root = tempDir()
    for (const folder of ['b', 'a10', 'a9']) mkdirSync(join(root, folder))
    for (const file of ['img10.jpg', 'img2.jpg', 'Img3.jpg', 'img1.jpg', '.hidden']) writeFileSync(join(root, file), '')
    const listing = await browse(new PathPolicy([root]), root)
    expect(listing.entries.map((entry) => entry.name)).toEqual([
      'a9',
      'a10',
      'b',
      'img1.jpg',
      'img2.jpg',
      'Img3.jpg',
      'img10.jpg',
    ])
    expect(listing.more).toBeUndefined()
  })

  it('a folder too large to list whole gives its first entries in order and counts the rest', async () => {
    const root = tempDir()
    const count = limits.browseEntries + 3
    for (let i = count; i >= 1; i--) writeFileSync(join(root, `scan ${i}.png`), '')
    const listing = await browse(new PathPolicy([root]), root)
    expect(listing.entries).toHaveLength(limits.browseEntries)
    expect(listing.entries[0]!.name).toBe('scan 1.png')
    expect(listing.entries.at(-1)!.name).toBe(`scan ${limits.browseEntries}.png`)
    expect(listing.more).toBe(3)
  })
})
