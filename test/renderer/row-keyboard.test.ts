// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import JobList from '../../src/renderer/components/JobList.vue'
import { useSelectionStore } from '../../src/renderer/stores/selection-store'
import { fakeApi, job, settle } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the buttons in a row, from the keyboard', () => {
  it('Enter presses Cancel; focus then stays on that row, not on the next job’s Cancel or out of the page', async () => {
    const all = [job(1), job(2), job(3)]
    const fake = fakeApi({ all, snapshot: { active: all } })
    const list = await mountWith(JobList, fake)
    const selection = useSelectionStore()
    const cancel = list.get<HTMLButtonElement>('button[aria-label="Cancel Job 2"]')
    cancel.element.focus()
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })
    cancel.element.dispatchEvent(enter)
    // The list's own Enter (open the focused row's details) must not swallow the button's.
    expect(enter.defaultPrevented).toBe(false)
    expect(selection.detailsId).toBeNull()
    await cancel.trigger('click')
    expect(fake.api.cancel).toHaveBeenCalledWith({ ids: ['2'] })
    fake.push({ seq: 1, events: [{ type: 'cancelled', id: '2', job: job(2, 'cancelled') }] })
    await nextTick()
    await settle()
    expect(list.find('button[aria-label="Cancel Job 2"]').exists()).toBe(false)
    expect(document.activeElement).toBe(list.get('[role="grid"]').element)
    expect(selection.focused).toBe('2')
  })
})
