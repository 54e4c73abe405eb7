// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import JobDetails from '../../src/renderer/components/JobDetails.vue'
import JobList from '../../src/renderer/components/JobList.vue'
import type { Job } from '../../src/shared/job'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

const message = 'לא ניתן לפתוח את הקובץ דוח 2024.xlsx'
const arabic: Job = {
  ...job(21, 'failed'),
  label: 'تقرير_المبيعات_2024.pdf',
  error: { code: 'HANDLER_ERROR', message },
}

/** The element's text reads in its own direction, worked out from its first strong letter, apart from its neighbours. */
function isolatedByContent(element: Element): boolean {
  return element.tagName === 'BDI' ? !element.hasAttribute('dir') : element.getAttribute('dir') === 'auto'
}

describe('right-to-left labels and messages', () => {
  it('in a row, the label and the failure are isolated from "#id ·", which stays left to right', async () => {
    const list = await mountWith(JobList, fakeApi({ all: [arabic], snapshot: { recent: [arabic] } }))
    const row = list.get('[data-job-id="21"]')
    const label = row.get('.name .link')
    expect(label.text()).toBe(arabic.label)
    expect(isolatedByContent(label.element)).toBe(true)
    const line = row.get('.kind')
    const failure = line.get('bdi')
    expect(failure.text()).toBe(message)
    expect(isolatedByContent(failure.element)).toBe(true)
    expect(line.text().replace(failure.text(), '').trim()).toBe('#21 ·')
  })

  it('the details title and the error message read in their own direction', async () => {
    const details = await mountWith(JobDetails, fakeApi({ all: [arabic], snapshot: { recent: [arabic] } }), {
      id: '21',
    })
    await flushPromises()
    const title = details.get('h2')
    expect(title.text()).toBe(arabic.label)
    expect(isolatedByContent(title.element)).toBe(true)
    const error = details.findAll('.error p').find((p) => p.text() === message)
    expect(error && isolatedByContent(error.element)).toBe(true)
  })
})
