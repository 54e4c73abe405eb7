// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import NewJobDialog from '../../src/renderer/components/NewJobDialog.vue'
import { normalTypedPath, pastedPath } from '../../src/renderer/lib/typed-path'
import type { BrowseResult } from '../../src/shared/web-host'
import { fakeApi, hashKind } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

const folders: Record<string, BrowseResult> = {
  '/srv/photos': {
    path: '/srv/photos',
    entries: [
      { name: 'raw', path: '/srv/photos/raw', type: 'folder' },
      { name: 'cat.png', path: '/srv/photos/cat.png', type: 'file', size: 10 },
    ],
  },
  // A folder too large to list whole: a name not among its first entries may still be there.
  '/srv/scans': {
    path: '/srv/scans',
    entries: [{ name: 'scan 1.png', path: '/srv/scans/scan 1.png', type: 'file', size: 10 }],
    more: 9_000,
  },
}

const browsed: string[] = []

/** The web host's browser over one root, /srv: outside it is refused, a folder not there is not found. */
async function browse(path?: string): Promise<BrowseResult> {
  browsed.push(path ?? '')
  const listing = path && folders[path]
  if (listing) return listing
  const code = path?.startsWith('/srv') ? 'NOT_FOUND' : 'FORBIDDEN_PATH'
  throw Object.assign(new Error(`cannot list ${path}`), { code })
}

async function hashForm() {
  const fake = fakeApi()
  fake.api.kinds.mockResolvedValue([hashKind])
  const dialog = await mountWith(NewJobDialog, fake, { files: [] }, { browse })
  await flushPromises()
  const field = dialog.get<HTMLInputElement>('input[aria-label="File path"]')
  const type = async (path: string) => {
    await field.setValue(path)
    await field.trigger('keydown', { key: 'Enter' })
    await flushPromises()
  }
  const problem = () => dialog.find('.files [role="alert"]')
  return { dialog, field, type, problem }
}

describe('a path typed into the New job form of the web host', () => {
  it('is refused as it is added, under the field, when Spool may not use it or it is not there', async () => {
    const { dialog, field, type, problem } = await hashForm()
    const refusals = {
      '/etc/passwd': 'Spool may only use files in the folders it was started with, not /etc/passwd',
      '/srv/photos/dog.png': 'There is no file /srv/photos/dog.png',
      '/srv/nope/a.png': 'There is no folder /srv/nope',
      '/srv/photos/raw': '/srv/photos/raw is a folder: pick the files in it with “Add files…”',
    }
    for (const [path, said] of Object.entries(refusals)) {
      await type(path)
      expect(problem().text()).toBe(said)
      expect(field.attributes('aria-invalid')).toBe('true')
      expect(field.attributes('aria-describedby')).toBe(problem().attributes('id'))
      expect(field.element.value).toBe(path)
    }
    expect(dialog.findAll('.files li')).toHaveLength(0)
    expect(dialog.get('button[type="submit"]').attributes('disabled')).toBeDefined()
  })

  it('is added when its folder is too large to list whole, for the engine to judge', async () => {
    const { dialog, type, problem } = await hashForm()
    await type('/srv/scans/scan 7000.png')
    expect(problem().exists()).toBe(false)
    expect(dialog.get('.files li').text()).toContain('/srv/scans/scan 7000.png')
  })

  it('is added when it is there, and a refusal goes as soon as the path is changed', async () => {
    const { dialog, field, type, problem } = await hashForm()
    await type('/srv/photos/dog.png')
    await field.setValue('/srv/photos/ca')
    expect(problem().exists()).toBe(false)
    expect(field.attributes('aria-invalid')).toBeUndefined()
    await type('/srv/photos/cat.png')
    expect(problem().exists()).toBe(false)
    expect(dialog.get('.files li').text()).toContain('/srv/photos/cat.png')
    expect(field.element.value).toBe('')
  })

  it('is added as the file it names, so one file typed two ways is one job', async () => {
    const { dialog, type, problem } = await hashForm()
    for (const path of ['/srv/photos/cat.png', '/srv/photos/raw/../cat.png', '/srv/./photos//cat.png/'])
      await type(path)
    expect(problem().exists()).toBe(false)
    expect(dialog.findAll('.files li code').map((code) => code.text())).toEqual(['/srv/photos/cat.png'])
  })
})

describe('normalTypedPath', () => {
  it('takes out "." and "..", and repeated and trailing separators, as path.normalize does', () => {
    expect(normalTypedPath('/home/me/../me/./Pictures//cat.png')).toBe('/home/me/Pictures/cat.png')
    expect(normalTypedPath('/../etc/')).toBe('/etc')
    expect(normalTypedPath('/')).toBe('/')
    expect(normalTypedPath('C:/Users\\me\\..\\you/cat.png')).toBe('C:\\Users\\you\\cat.png')
    expect(normalTypedPath('\\\\nas\\photos\\2024\\..\\cat.png')).toBe('\\\\nas\\photos\\cat.png')
    expect(normalTypedPath('Pictures/../cat.png')).toBe('Pictures/../cat.png')
    expect(normalTypedPath('//nas/photos/../cat.png')).toBe('//nas/photos/../cat.png')
  })
})

describe('a path pasted from elsewhere', () => {
  it('loses the quotes of "Copy as path" and the file:// of a copied URL, and stays the same file', () => {
    const pasted = {
      '"C:\\Users\\me\\cat.png"': 'C:\\Users\\me\\cat.png',
      " '/srv/My Photos/cat.png' ": '/srv/My Photos/cat.png',
      'file:///srv/My%20Photos/cat%231.png': '/srv/My Photos/cat#1.png',
      'file://localhost/srv/cat.png': '/srv/cat.png',
      'file:///C:/Users/me/cat.png': 'C:\\Users\\me\\cat.png',
      'file://server/share/cat.png': '\\\\server\\share\\cat.png',
      'file:///srv/%E0%A4%A.png': 'file:///srv/%E0%A4%A.png',
      "/srv/it's.png": "/srv/it's.png",
    }
    for (const [text, path] of Object.entries(pasted)) expect(normalTypedPath(pastedPath(text)), text).toBe(path)
  })

  it('is added as typed once its quotes are off; many pasted at once are added at once, each folder listed once', async () => {
    const { dialog, field, type, problem } = await hashForm()
    await type('"/srv/photos/cat.png"')
    expect(dialog.findAll('.files li code').map((code) => code.text())).toEqual(['/srv/photos/cat.png'])

    browsed.length = 0
    const text = 'file:///srv/scans/scan%202.png\r\n/srv/photos/dog.png\n\n/srv/scans/scan 3.png\n/etc/passwd\n'
    await field.trigger('paste', { clipboardData: { getData: () => text } })
    await flushPromises()
    expect(dialog.findAll('.files li code').map((code) => code.text())).toEqual([
      '/srv/photos/cat.png',
      '/srv/scans/scan 2.png',
      '/srv/scans/scan 3.png',
    ])
    expect(browsed.sort()).toEqual(['/etc', '/srv/photos', '/srv/scans'])
    expect(field.element.value).toBe('/srv/photos/dog.png')
    expect(problem().text()).toBe('There is no file /srv/photos/dog.png. Not added either: /etc/passwd')
  })
})
