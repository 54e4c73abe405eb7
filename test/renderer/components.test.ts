// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import JobList from '../../src/renderer/components/JobList.vue'
import JobRow from '../../src/renderer/components/JobRow.vue'
import ProgressBar from '../../src/renderer/components/ProgressBar.vue'
import JobDetails from '../../src/renderer/components/JobDetails.vue'
import JobFilters from '../../src/renderer/components/JobFilters.vue'
import { useSelectionStore } from '../../src/renderer/stores/selection-store'
import { useToastStore } from '../../src/renderer/stores/toast-store'
import { fakeApi, job } from './fake-api'
import { mountWith } from './mount-dashboard'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('dashboard components', () => {
  it('a job row shows a real progress bar with its values, percent, rate and ETA', async () => {
    const running = { ...job(7, 'running', 0.42), progress: { fraction: 0.42, rate: 3, unit: 'files', etaMs: 65_000 } }
    const row = await mountWith(JobRow, fakeApi(), { job: running, rowIndex: 3, selected: false, focused: false })
    const bar = row.get('[role="progressbar"]')
    expect(bar.attributes()).toMatchObject({ 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '42' })
    expect(row.text()).toContain('42%')
    expect(row.text()).toContain('3.0 files/s')
    expect(row.text()).toContain('1 min 05 s')
    expect(row.find('button[aria-label="Cancel Job 7"]').exists()).toBe(true)
    expect(row.find('button[aria-label="Retry Job 7"]').exists()).toBe(false)
    // A conversion counts seconds of media: its rate reads against playback, not as "s/s".
    const transcoding = { ...running, progress: { fraction: 0.42, rate: 7.25, unit: 's', etaMs: 3000 } }
    await row.setProps({ job: transcoding })
    expect(row.get('.rate').text()).toBe('7.3× realtime')
  })

  it('a finished job shows how long it took to a tenth of a second under ten seconds, not "0 s"', async () => {
    const took = (ms: number) => ({ ...job(4, 'succeeded'), startedAt: 1_000_000, finishedAt: 1_000_000 + ms })
    const row = await mountWith(JobRow, fakeApi(), { job: took(380), rowIndex: 3, selected: false, focused: false })
    const elapsed = () => row.findAll('.num').at(-1)!.text()
    expect(elapsed()).toBe('0.4 s')
    await row.setProps({ job: took(9_400) })
    expect(elapsed()).toBe('9.4 s')
    await row.setProps({ job: took(65_000) })
    expect(elapsed()).toBe('1 min 05 s')
    const quick = took(380)
    const details = await mountWith(JobDetails, fakeApi({ all: [quick], snapshot: { recent: [quick] } }), { id: '4' })
    expect(details.text()).toContain('Took0.4 s')
  })

  it('a running job that has reported nothing yet shows work in progress, and a queued one no "0%"', async () => {
    const fresh = job(5, 'running')
    const row = await mountWith(JobRow, fakeApi(), { job: fresh, rowIndex: 3, selected: false, focused: false })
    const bar = () => row.get('[role="progressbar"]')
    const percent = () => row.findAll('.num')[0]!.text()
    expect(bar().attributes('aria-valuenow')).toBeUndefined()
    expect(bar().attributes('aria-valuetext')).toBe('in progress')
    expect(bar().classes()).toContain('indeterminate')
    // Once it counts, a count of none done is a real 0%.
    await row.setProps({ job: { ...fresh, progress: { fraction: 0, done: 0, total: 4, unit: 'files' } } })
    expect(bar().attributes('aria-valuenow')).toBe('0')
    expect(percent()).toBe('0%')
    await row.setProps({ job: job(5, 'queued') })
    expect(percent()).toBe('')
  })

  it("a progress bar animates its own job's progress, but jumps when its row shows another job", async () => {
    const bar = mount(ProgressBar, { props: { fraction: 0.2, label: 'Progress', subject: '1' } })
    const fill = () => (bar.get('.fill').element as HTMLElement).style
    await bar.setProps({ fraction: 0.6 })
    expect(fill().transform).toBe('scaleX(0.6)')
    expect(fill().transition).toBe('')
    await bar.setProps({ fraction: 1, subject: '2' })
    expect(fill().transform).toBe('scaleX(1)')
    expect(fill().transition).toBe('none')
    await bar.setProps({ fraction: 0.5, subject: '2' })
    expect(fill().transition).toBe('')
  })

  it('a failed row offers retry and remove, and retry calls the command', async () => {
    const fake = fakeApi()
    const row = await mountWith(JobRow, fake, { job: job(3, 'failed'), rowIndex: 3, selected: false, focused: false })
    await row.get('button[aria-label="Retry Job 3"]').trigger('click')
    expect(fake.api.retry).toHaveBeenCalledWith({ ids: ['3'] })
    expect(row.find('button[aria-label="Remove Job 3"]').exists()).toBe(true)
  })

  it('a failed row says why it failed, so failures can be scanned without opening each one', async () => {
    const message = 'File not found: /home/me/holiday/vanished.txt'
    const failed = { ...job(4, 'failed'), error: { code: 'INVALID_INPUT' as const, message } }
    const row = await mountWith(JobRow, fakeApi(), { job: failed, rowIndex: 3, selected: false, focused: false })
    expect(row.get('.name').text()).toContain(`#4 · ${message}`)
    expect(row.get('.name [title]:not(button)').attributes('title')).toBe(message)
    await row.setProps({ job: job(4, 'succeeded') })
    expect(row.get('.name').text()).toContain('#4 · debug.sleep')
  })

  it('job details follow a job the list had not loaded yet as it is added and starts', async () => {
    const fake = fakeApi()
    const details = await mountWith(JobDetails, fake, { id: '9' })
    await flushPromises()
    expect(details.text()).toContain('This job no longer exists.')
    fake.push({ seq: 1, events: [{ type: 'added', id: '9', job: job(9) }] })
    await flushPromises()
    expect(details.get('.meta').text()).toMatch(/queued/)
    fake.push({ seq: 2, events: [{ type: 'started', id: '9', job: job(9, 'running') }] })
    await flushPromises()
    expect(details.get('.meta').text()).toMatch(/running/)
  })

  it('job details say what kind of failure it was in words, with its code, message and worker stderr', async () => {
    const failed = {
      ...job(4, 'failed'),
      error: { code: 'WORKER_CRASHED' as const, message: 'Worker exited', detail: { stderrTail: 'segfault here' } },
      log: ['starting', 'crashing'],
    }
    const details = await mountWith(JobDetails, fakeApi({ all: [failed], snapshot: { recent: [failed] } }), { id: '4' })
    await flushPromises()
    const alert = details.get('[role="alert"]')
    expect(alert.get('h3').text()).toBe('The worker process crashed WORKER_CRASHED')
    expect(alert.text()).toContain('Worker exited')
    expect(alert.text()).toContain('segfault here')
    expect(details.text()).toContain('crashing')
  })

  it('job details list each output with its own download link, and the result', async () => {
    const done = {
      ...job(8, 'succeeded', 1),
      result: {
        outputs: [
          { path: '/r/a.webp', size: 3700 },
          { path: '/r/b.webp', size: 10 },
        ],
        digest: 'x'.repeat(64),
      },
    }
    const details = await mountWith(
      JobDetails,
      fakeApi({ all: [done], snapshot: { recent: [done] } }),
      { id: '8' },
      { downloadHref: (id, output) => `/download?job=${id}&output=${output}` },
    )
    await flushPromises()
    const output = details.get('[aria-labelledby="job-output-heading"]')
    const links = output.findAll('a[download]').map((link) => [link.attributes('aria-label'), link.attributes('href')])
    expect(links).toEqual([
      ['Download a.webp', '/download?job=8&output=0'],
      ['Download b.webp', '/download?job=8&output=1'],
    ])
    expect(output.text()).toContain('3.7 KB')
    expect(details.get('[aria-labelledby="job-result-heading"]').text()).toContain('x'.repeat(64))
  })

  it('the list selects with the mouse and the keyboard', async () => {
    const all = [job(1), job(2), job(3)]
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { active: all } }))
    const selection = useSelectionStore()
    const grid = list.get('[role="grid"]')
    await grid.trigger('keydown', { key: 'ArrowDown' })
    await grid.trigger('keydown', { key: ' ' })
    expect([...selection.selected]).toEqual(['1'])
    await grid.trigger('keydown', { key: 'ArrowDown', shiftKey: true })
    expect([...selection.selected]).toEqual(['1', '2'])
    await grid.trigger('keydown', { key: 'a', ctrlKey: true })
    expect(selection.count).toBe(3)
    await grid.trigger('keydown', { key: 'Escape' })
    expect(selection.count).toBe(0)
  })

  it('a queued job waiting for its time says what for and how long, in its row and its details', async () => {
    const now = Date.now()
    const error = { code: 'HANDLER_ERROR' as const, message: 'The disk did not answer' }
    const retry = { ...job(5), attempts: 1, maxAttempts: 3, error, runAfter: now + 12_000 }
    const later = { ...job(6), runAfter: now + 5 * 60_000 }
    const due = { ...job(7), runAfter: now - 1_000 }
    const all = [retry, later, due]
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { active: all } }))
    await flushPromises()
    const secondLine = (id: number) => list.get(`[data-job-id="${id}"] .kind`).text()
    // The shared clock ticks each second, so the wait read may be a second either way.
    expect(secondLine(5)).toMatch(/^#5 · retry 2 of 3 in 1[123] s$/)
    expect(list.get('[data-job-id="5"] .kind').attributes('title')).toBe('The disk did not answer')
    expect(secondLine(6)).toMatch(/^#6 · starts in [45] min \d\d s$/)
    expect(secondLine(7)).toBe('#7 · debug.sleep')
    const details = await mountWith(JobDetails, fakeApi({ all, snapshot: { active: all } }), { id: '5' })
    await flushPromises()
    expect(details.get('.timings').text()).toMatch(/Waits\s*retry 2 of 3 in 1[123] s \(/)
  })

  it("the list's header box selects every job listed, and none once all are; half ticked for some", async () => {
    const all = [job(1), job(2), job(3)]
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { active: all } }))
    await flushPromises()
    const selection = useSelectionStore()
    const box = list.get<HTMLInputElement>('input[aria-label="Select all jobs listed"]')
    await list.get<HTMLInputElement>('input[aria-label="Select Job 2"]').trigger('click')
    expect(box.element.indeterminate).toBe(true)
    expect(box.element.checked).toBe(false)
    await box.trigger('click')
    expect([...selection.selected].sort()).toEqual(['1', '2', '3'])
    expect(box.element.checked).toBe(true)
    expect(box.element.indeterminate).toBe(false)
    await box.trigger('click')
    expect(selection.count).toBe(0)
    expect(box.element.checked).toBe(false)
  })

  it('a running job asked to cancel, from this window or another, shows it is stopping until it has', async () => {
    const running = job(7, 'running')
    const fake = fakeApi({ all: [running], snapshot: { active: [running] } })
    const list = await mountWith(JobList, fake)
    await flushPromises()
    await list.get('button[aria-label="Cancel Job 7"]').trigger('click')
    await flushPromises()
    expect(fake.api.cancel).toHaveBeenCalledWith({ ids: ['7'] })
    // What Spool tells every window: the job finishes the work in hand, or waits out its grace period.
    fake.push({ seq: 1, events: [{ type: 'stopping', id: '7', job: { ...running, stopping: true } }] })
    await flushPromises()
    const stopping = list.get('button[aria-label="Stopping… Job 7"]')
    expect(stopping.attributes('aria-disabled')).toBe('true')
    await stopping.trigger('click')
    expect(fake.api.cancel).toHaveBeenCalledTimes(1)
    expect(stopping.attributes('title')).toBe('Asked to cancel: waiting for the job to stop')
    expect(list.get('[data-job-id="7"] .badge').text()).toBe('stopping')
    fake.push({ seq: 2, events: [{ type: 'cancelled', id: '7', job: job(7, 'cancelled') }] })
    await flushPromises()
    expect(list.find('button[aria-label="Retry Job 7"]').exists()).toBe(true)
    expect(list.get('[data-job-id="7"] .badge').text()).toBe('cancelled')
    // Retried, it runs again: a new run, which can be cancelled.
    fake.push({ seq: 3, events: [{ type: 'started', id: '7', job: { ...job(7, 'running'), startedAt: 9_000 } }] })
    await flushPromises()
    expect(list.find('button[aria-label="Cancel Job 7"]').exists()).toBe(true)
  })

  it('a window opened while a job is stopping shows it stopping at once', async () => {
    const running = { ...job(7, 'running'), stopping: true as const }
    const fake = fakeApi({ all: [running], snapshot: { active: [running] } })
    const list = await mountWith(JobList, fake)
    await flushPromises()
    expect(list.get('button[aria-label="Stopping… Job 7"]').attributes('aria-disabled')).toBe('true')
    expect(list.get('[data-job-id="7"] .badge').text()).toBe('stopping')
  })

  it('Cancel on selected jobs that had finished says so, instead of doing nothing silently', async () => {
    const all = [job(1, 'succeeded'), job(2, 'running')]
    const fake = fakeApi({ all, snapshot: { active: all } })
    fake.api.cancel.mockResolvedValue(1)
    const filters = await mountWith(JobFilters, fake)
    useSelectionStore().toggle('1')
    useSelectionStore().toggle('2')
    await flushPromises()
    await filters.get('[aria-label="Selected jobs"]').findAll('button')[0]!.trigger('click')
    await flushPromises()
    expect(fake.api.cancel).toHaveBeenCalledWith({ ids: ['1', '2'] })
    expect(useToastStore().toasts.map((toast) => toast.text)).toEqual(['1 job had already finished: nothing to cancel'])
  })

  it('shift and an arrow select from the row with the keyboard to the next; Delete says why a queued job stays', async () => {
    const all = [job(1), job(2), job(3)]
    const fake = fakeApi({ all, snapshot: { active: all } })
    fake.api.remove.mockResolvedValue(0)
    const list = await mountWith(JobList, fake)
    const selection = useSelectionStore()
    const grid = list.get('[role="grid"]')
    await grid.trigger('keydown', { key: 'ArrowDown' })
    await grid.trigger('keydown', { key: 'ArrowDown' })
    await grid.trigger('keydown', { key: 'ArrowDown', shiftKey: true })
    expect([...selection.selected]).toEqual(['2', '3'])
    await grid.trigger('keydown', { key: 'Delete' })
    await flushPromises()
    expect(fake.api.remove).toHaveBeenCalledWith({ ids: ['2', '3'] })
    expect(useToastStore().toasts.map((toast) => toast.text)).toEqual([
      '2 jobs still queued or running: cancel first, then remove',
    ])
  })

  it('the list shows running jobs first under "Active", above the queue and the finished jobs', async () => {
    const all = Array.from({ length: 10_000 }, (_, i) =>
      i < 3000 ? job(i + 1, 'succeeded', 1) : i === 9000 ? job(i + 1, 'running', 0.3) : job(i + 1),
    )
    const list = await mountWith(JobList, fakeApi({ all, snapshot: { active: [all[9000]!] } }))
    await flushPromises()
    const rows = () => list.findAll('[data-job-id]')
    expect(rows()[0]!.attributes()).toMatchObject({
      'data-job-id': '9001',
      'data-state': 'running',
      'aria-rowindex': '3',
    })
    expect(rows()[1]!.attributes('data-job-id')).toBe('3001')
    expect(rows().length).toBeLessThan(40)
    const headings = list.findAll('[role="rowheader"]').map((heading) => heading.text().replace(/\s+/g, ' '))
    expect(headings).toEqual(['Active 1 running · 6,999 queued', 'Finished 3,000, most recent first'])
    expect(list.get('[role="grid"]').attributes('aria-rowcount')).toBe(String(1 + 10_000 + 2))

    const grid = list.get('[role="grid"]')
    await grid.trigger('keydown', { key: 'End' })
    const scroller = grid.element as HTMLElement
    expect(scroller.scrollTop).toBeGreaterThan(52 * 9_000)
    scroller.dispatchEvent(new Event('scroll'))
    await flushPromises()
    const last = list.find('[data-job-id="1"]')
    expect(last.attributes()).toMatchObject({ 'data-state': 'succeeded', 'aria-rowindex': String(2 + 2 + 9_999) })
    expect(rows().length).toBeLessThan(40)
  })
})
