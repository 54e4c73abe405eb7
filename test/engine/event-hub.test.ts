import { describe, expect, it, vi } from 'vitest'
import { EventHub } from '../../src/main/jobs/event-hub'

describe('event hub', () => {
  it('sends the first events after a quiet spell at once, and a stream of them at most once per frame', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] })
    try {
      const hub = new EventHub(16)
      const seqs: number[] = []
      hub.subscribe((batch) => seqs.push(batch.seq))
      hub.progress('1', { fraction: 0.1 })
      vi.advanceTimersByTime(0) // the end of this turn
      expect(seqs).toEqual([1])
      hub.progress('1', { fraction: 0.2 })
      hub.progress('1', { fraction: 0.3 })
      vi.advanceTimersByTime(10)
      expect(seqs).toEqual([1]) // within the frame of the last batch: held, folded
      vi.advanceTimersByTime(6)
      expect(seqs).toEqual([1, 2])
      vi.advanceTimersByTime(100)
      hub.emit({ type: 'removed', id: '1' })
      vi.advanceTimersByTime(0)
      expect(seqs).toEqual([1, 2, 3])
      hub.dispose()
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps no events while nobody listens: a listener gets what happens once it subscribes', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] })
    try {
      const hub = new EventHub(16)
      hub.emit({ type: 'removed', id: '1' })
      hub.progress('2', { fraction: 0.5 })
      const batches: { seq: number; ids: string[] }[] = []
      hub.subscribe((batch) => batches.push({ seq: batch.seq, ids: batch.events.map((e) => ('id' in e ? e.id : '')) }))
      vi.advanceTimersByTime(100)
      expect(batches).toEqual([])
      expect(hub.seq).toBe(0)
      hub.emit({ type: 'removed', id: '3' })
      vi.advanceTimersByTime(0)
      expect(batches).toEqual([{ seq: 1, ids: ['3'] }])
      hub.dispose()
    } finally {
      vi.useRealTimers()
    }
  })
})
