// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { KindInfo } from '../../src/shared/job'
import NewJobDialog from '../../src/renderer/components/NewJobDialog.vue'
import { fakeApi, sleepKind, hashKind } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

/** The New job dialog for a kind whose input has these fields, `ms` required. */
async function formFor(properties: Record<string, unknown>) {
  const fake = fakeApi()
  fake.api.kinds.mockResolvedValue([{ ...sleepKind, inputSchema: { type: 'object', properties, required: ['ms'] } }])
  const dialog = await mountWith(NewJobDialog, fake, { files: [] })
  await flushPromises()
  return dialog
}

describe('New job form', () => {
  it('a wrong value under a closed "More options" opens it, so the browser can point at the field', async () => {
    const dialog = await formFor({ ms: { type: 'integer' }, steps: { type: 'integer', minimum: 1, default: 1 } })
    const more = dialog.get<HTMLDetailsElement>('details.more').element
    await dialog.get('#new-job-ms').setValue('10')
    await dialog.get('#new-job-steps').setValue('0')
    expect(more.open).toBe(false)
    // Submit: the browser checks the fields and fires `invalid` on the one below its minimum.
    dialog.get('form').element.requestSubmit()
    expect(more.open).toBe(true)
  })

  it('a choice with a default starts on it and offers no "Default" beside it; one without still does', async () => {
    const dialog = await formFor({
      ms: { type: 'integer' },
      fit: { type: 'string', enum: ['inside', 'cover'], default: 'inside' },
      codec: { type: 'string', enum: ['opus', 'aac'] },
    })
    const options = (id: string) => dialog.findAll(`#new-job-${id} option`).map((option) => option.text())
    expect(options('fit')).toEqual(['inside', 'cover'])
    expect((dialog.get('#new-job-fit').element as HTMLSelectElement).value).toBe('inside')
    expect(options('codec')).toEqual(['Default', 'opus', 'aac'])
  })

  it('the New job form is generated from the kind schema and submits many jobs at once', async () => {
    const fake = fakeApi()
    const dialog = await mountWith(NewJobDialog, fake, { files: [] })
    await flushPromises()
    expect(dialog.find('#new-job-ms').exists()).toBe(true)
    expect((dialog.get('#new-job-steps').element as HTMLInputElement).value).toBe('1')
    expect(dialog.find('#new-job-result').exists()).toBe(false)
    await dialog.get('#new-job-ms').setValue('250')
    await dialog.get('#new-job-copies').setValue('3')
    await dialog.get('form').trigger('submit')
    await flushPromises()
    expect(fake.api.submit).toHaveBeenCalledWith([
      { kind: 'debug.sleep', label: 'Sleep 1', input: { ms: 250, steps: 1 } },
      { kind: 'debug.sleep', label: 'Sleep 2', input: { ms: 250, steps: 1 } },
      { kind: 'debug.sleep', label: 'Sleep 3', input: { ms: 250, steps: 1 } },
    ])
    expect(dialog.emitted('close')).toHaveLength(1)
  })

  it('the New job form shows a refused submit and a partial path in the dialog, where the user is looking', async () => {
    const fake = fakeApi()
    fake.api.kinds.mockResolvedValue([hashKind])
    fake.api.submit.mockRejectedValue(
      Object.assign(new Error('/etc/passwd is outside the allowed folders'), { code: 'FORBIDDEN_PATH' }),
    )
    const dialog = await mountWith(NewJobDialog, fake, { files: [] })
    await flushPromises()
    await dialog.get('input[aria-label="File path"]').setValue('photos/cat.png')
    await dialog.get('input[aria-label="File path"]').trigger('keydown', { key: 'Enter' })
    expect(dialog.get('[role="alert"]').text()).toBe('Type the full path of the file, such as /home/me/photos/cat.png')
    await dialog.get('input[aria-label="File path"]').setValue('/etc/passwd')
    await dialog.get('input[aria-label="File path"]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(dialog.find('[role="alert"]').exists()).toBe(false)
    await dialog.get('form').trigger('submit')
    await flushPromises()
    expect(dialog.get('[role="alert"]').text()).toBe('/etc/passwd is outside the allowed folders (FORBIDDEN_PATH)')
    expect(dialog.emitted('close')).toBeUndefined()
  })

  it('the New job form keeps "How many" within one submit', async () => {
    const dialog = await mountWith(NewJobDialog, fakeApi(), { files: [] })
    await flushPromises()
    await dialog.get('#new-job-ms').setValue('10')
    const submit = () => dialog.get('button[type="submit"]')
    await dialog.get('#new-job-copies').setValue('-3')
    expect(submit().attributes('disabled')).toBeDefined()
    await dialog.get('#new-job-copies').setValue('50000')
    expect(submit().text()).toBe('Submit 10,000 jobs')
  })

  it('files handed to Spool open the form on the kind that takes them, and one it does not take is marked', async () => {
    const filesKind = (kind: string, title: string, accepts: string[]): KindInfo => ({
      kind,
      title,
      accepts,
      available: true,
      inputSchema: { type: 'object', properties: { inputs: { type: 'array', items: { type: 'string' } } } },
    })
    const images = filesKind('image.convert', 'Convert images', ['jpg', 'png', 'webp', 'tiff'])
    const media = filesKind('media.transcode', 'Convert audio or video', ['mkv', 'mp4'])
    const open = async (files: string[]) => {
      const fake = fakeApi()
      fake.api.kinds.mockResolvedValue([sleepKind, images, media, hashKind])
      const dialog = await mountWith(NewJobDialog, fake, { files })
      await flushPromises()
      return dialog
    }
    const kindOf = (dialog: Awaited<ReturnType<typeof open>>) =>
      (dialog.get('#new-job-kind').element as HTMLSelectElement).value
    const marks = (dialog: Awaited<ReturnType<typeof open>>) =>
      dialog.findAll('li').map((row) => {
        const mark = row.find('.mismatch')
        return mark.exists() ? `${row.get('code').text()} ${mark.text()}` : row.get('code').text()
      })

    expect(kindOf(await open(['/home/me/clip.MKV']))).toBe('media.transcode')
    expect(kindOf(await open(['/home/me/notes.txt']))).toBe('file.hash')
    const dialog = await open(['/p/a.jpg', 'C:\\p\\b.png', '/p/c.mkv', '/p/README'])
    expect(kindOf(dialog)).toBe('image.convert')
    expect(marks(dialog)).toEqual([
      '/p/a.jpg',
      'C:\\p\\b.png',
      '/p/c.mkv Convert images takes .jpg, .png, .webp and 1 more: this file may fail',
      '/p/README Convert images takes .jpg, .png, .webp and 1 more: this file may fail',
    ])
    await dialog.get('#new-job-kind').setValue('media.transcode')
    expect(marks(dialog)).toEqual([
      '/p/a.jpg Convert audio or video takes .mkv, .mp4: this file may fail',
      'C:\\p\\b.png Convert audio or video takes .mkv, .mp4: this file may fail',
      '/p/c.mkv',
      '/p/README Convert audio or video takes .mkv, .mp4: this file may fail',
    ])
  })
})
