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

describe('the list is one Tab stop; arrow keys reach a row’s buttons', () => {
  function press(target: Element, key: string): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })
    target.dispatchEvent(event)
    return event
  }

  it('no button, link or box in the rows is a Tab stop of its own', async () => {
    const all = [job(1), job(2, 'failed'), job(3, 'succeeded'), job(4, 'cancelled')]
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { active: [all[0]!], recent: all.slice(1) } }))
    const grid = list.get('[role="grid"]').element
    const controls = [...grid.querySelectorAll<HTMLElement>('button, a[href], input')]
    expect(controls.length).toBeGreaterThan(4)
    expect(controls.filter((control) => control.tabIndex >= 0)).toEqual([])
    expect((grid as HTMLElement).tabIndex).toBe(0)
  })

  it('Right reaches the focused row’s buttons, Left walks back to the row, Down goes on to the next row', async () => {
    const all = [job(1, 'failed'), job(2, 'failed')]
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { recent: all } }))
    const selection = useSelectionStore()
    const grid = list.get<HTMLElement>('[role="grid"]').element
    grid.focus()
    press(grid, 'ArrowDown')
    expect(selection.focused).toBe('2')
    press(grid, 'ArrowRight')
    await nextTick()
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Retry Job 2')
    press(document.activeElement!, 'ArrowRight')
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Remove Job 2')
    press(document.activeElement!, 'ArrowLeft')
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Retry Job 2')
    press(document.activeElement!, 'ArrowLeft')
    expect(document.activeElement).toBe(grid)
    expect(selection.focused).toBe('2')
    press(grid, 'ArrowRight')
    await nextTick()
    press(document.activeElement!, 'ArrowDown')
    expect(document.activeElement).toBe(grid)
    expect(selection.focused).toBe('1')
  })

  it('Escape on a row’s button goes back to the row and leaves the open details open', async () => {
    const all = [job(1, 'failed')]
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { recent: all } }))
    const selection = useSelectionStore()
    const grid = list.get<HTMLElement>('[role="grid"]').element
    grid.focus()
    press(grid, 'ArrowDown')
    press(grid, 'Enter')
    expect(selection.detailsId).toBe('1')
    press(grid, 'ArrowRight')
    await nextTick()
    expect(press(document.activeElement!, 'Escape').defaultPrevented).toBe(true)
    expect(document.activeElement).toBe(grid)
    expect(selection.detailsId).toBe('1')
  })
})
