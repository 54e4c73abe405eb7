// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../src/renderer/App.vue'
import type { DesktopApi } from '../../src/shared/desktop'
import { fakeApi, hashKind } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

const fileKind = hashKind

async function firstUse(desktop?: Partial<DesktopApi>) {
  const fake = fakeApi()
  fake.api.kinds.mockResolvedValue([fileKind])
  const app = await mountWith(App, fake, {}, desktop ? { kind: 'desktop', desktop: desktop as DesktopApi } : {})
  await flushPromises()
  return app
}

describe('an empty queue tells a newcomer what to do', () => {
  it('in a browser, it offers New job and does not promise a drop of files that the browser cannot hand over', async () => {
    const app = await firstUse()
    expect(app.get('.empty').text()).toContain(
      'Add work with “New job”: pick files from the folders Spool was started with.',
    )
    expect(app.text()).not.toMatch(/drop/i)

    await app.get('.app').trigger('dragover')
    expect(app.get('.drop').text()).toBe('A browser cannot hand Spool files: use “Add files…”')

    await app.get('.empty button').trigger('click')
    await flushPromises()
    expect(app.get('.files .hint').text()).toBe('No files yet: add some.')
  })

  it('in the desktop app, dropping files is offered where it works', async () => {
    const app = await firstUse({})
    expect(app.get('.empty').text()).toContain('or drop files onto the window')
    await app.get('.app').trigger('dragover')
    expect(app.get('.drop').text()).toBe('Drop files to add them to a new job')
    await app.get('.empty button').trigger('click')
    await flushPromises()
    expect(app.get('.files .hint').text()).toBe('No files yet: add some, or drop them onto the window.')
  })
})
