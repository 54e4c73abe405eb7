// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import FileBrowser from '../../src/renderer/components/FileBrowser.vue'
import type { BrowseResult } from '../../src/shared/web-host'
import { fakeApi } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

const photos: BrowseResult = {
  path: '/srv/photos',
  entries: [
    { name: 'raw', path: '/srv/photos/raw', type: 'folder' },
    { name: 'a.png', path: '/srv/photos/a.png', type: 'file', size: 10 },
    { name: 'b.JPG', path: '/srv/photos/b.JPG', type: 'file', size: 10 },
    { name: 'c.png', path: '/srv/photos/c.png', type: 'file', size: 10 },
    { name: 'notes.txt', path: '/srv/photos/notes.txt', type: 'file', size: 10 },
  ],
}

async function browseFolder(accepts?: string[]) {
  const props = { mode: 'files', ...(accepts && { accepts }) }
  const browser = await mountWith(FileBrowser, fakeApi(), props, { browse: async () => photos })
  await flushPromises()
  return browser
}

describe('web file browser', () => {
  it('names a folder by its name alone, its icon drawn and hidden from screen readers', async () => {
    const browser = await browseFolder()
    const folder = browser.get('.entries button.entry')
    expect(folder.text()).toBe('raw')
    expect(folder.get('svg').attributes('aria-hidden')).toBe('true')
  })

  it('picks every file of a folder the job takes in one click, and unpicks them in one more', async () => {
    const browser = await browseFolder(['png', 'jpg'])
    const all = browser.get<HTMLInputElement>('.all input')
    expect(browser.get('.all').text()).toBe('Select all 3 files this job takes')

    await all.setValue(true)
    const add = browser.findAll('button').find((button) => button.text().startsWith('Add'))!
    expect(add.text()).toBe('Add 3 files')
    await add.trigger('click')
    expect(browser.emitted('done')?.[0]).toEqual([['/srv/photos/a.png', '/srv/photos/b.JPG', '/srv/photos/c.png']])

    await all.setValue(false)
    expect(add.text()).toBe('Add 0 files')
  })

  it('shows a part-picked folder as such, and picks all of it from there', async () => {
    const browser = await browseFolder()
    expect(browser.get('.all').text()).toBe('Select all 4 files')
    await browser.get('.entries input[type="checkbox"]').trigger('change')
    const all = browser.get<HTMLInputElement>('.all input')
    expect(all.element.indeterminate).toBe(true)
    await all.trigger('change')
    expect(all.element.checked).toBe(true)
    expect(all.element.indeterminate).toBe(false)
    expect(browser.text()).toContain('Add 4 files')
  })

  it('counts with separators, and says a huge folder has more than it lists and how to reach them', async () => {
    const entries = Array.from({ length: 1500 }, (_, i) => ({
      name: `scan ${i + 1}.png`,
      path: `/srv/scans/scan ${i + 1}.png`,
      type: 'file' as const,
      size: 10,
    }))
    const listing: BrowseResult = { path: '/srv/scans', entries, more: 12_345 }
    const browser = await mountWith(FileBrowser, fakeApi(), { mode: 'files' }, { browse: async () => listing })
    await flushPromises()
    expect(browser.text()).toContain('12,345 more not listed, after these 1,500: type the path of one to add it.')
    await browser.get('.all input').setValue(true)
    expect(browser.get('.all').text()).toBe('Select all 1,500 files')
    expect(browser.text()).toContain('Add 1,500 files')
  })
})
