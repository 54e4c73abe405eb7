import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ariaRowCount,
  ariaRowIndex,
  finishedHeadingTop,
  rowAt,
  rowTop,
  totalHeight,
  type ListLayout,
} from '../../src/renderer/lib/list-layout'

const layouts = fc
  .tuple(fc.integer({ min: 1, max: 200_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([count, share]): ListLayout => ({
    count,
    active: Math.floor(count * share),
    rowHeight: 52,
    headingHeight: 32,
  }))

describe('where the job list puts each row', () => {
  it('finds every row at its own height, and nothing overlaps', () => {
    fc.assert(
      fc.property(layouts, fc.double({ min: 0, max: 1, noNaN: true }), (layout, at) => {
        const index = Math.min(layout.count - 1, Math.floor(at * layout.count))
        const top = rowTop(layout, index)
        expect(rowAt(layout, top)).toBe(index)
        expect(rowAt(layout, top + layout.rowHeight - 1)).toBe(index)
        if (index + 1 < layout.count) expect(rowTop(layout, index + 1)).toBeGreaterThanOrEqual(top + layout.rowHeight)
        expect(totalHeight(layout)).toBe(rowTop(layout, layout.count - 1) + layout.rowHeight)
      }),
    )
  })

  it('puts the "Active" heading above the first row and "Finished" above the first finished row', () => {
    const layout = { count: 10, active: 3, rowHeight: 50, headingHeight: 30 }
    expect(rowTop(layout, 0)).toBe(30)
    expect(finishedHeadingTop(layout)).toBe(180)
    expect(rowTop(layout, 3)).toBe(210)
    // A heading's height shows the row after it.
    expect(rowAt(layout, 10)).toBe(0)
    expect(rowAt(layout, 190)).toBe(3)
    expect(rowAt(layout, 1e9)).toBe(9)
  })

  it('numbers grid rows for assistive technology, headings included', () => {
    const both = { count: 10, active: 3, rowHeight: 50, headingHeight: 30 }
    expect([0, 2, 3, 9].map((i) => ariaRowIndex(both, i))).toEqual([3, 5, 7, 13])
    expect(ariaRowCount(both)).toBe(13)
    const finishedOnly = { ...both, active: 0 }
    expect([0, 9].map((i) => ariaRowIndex(finishedOnly, i))).toEqual([3, 12])
    expect(ariaRowCount(finishedOnly)).toBe(12)
    expect(rowTop(finishedOnly, 0)).toBe(30)
  })
})
