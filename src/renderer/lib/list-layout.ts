/**
 * Where each row of the job list sits. Rows have one fixed height, so positions are arithmetic and a list of
 * 100,000 jobs costs no more to lay out than one of ten. The running and queued jobs come first under an
 * "Active" heading, the finished ones under "Finished"; a heading shows only when its group has rows.
 */
export interface ListLayout {
  /** Jobs listed. */
  count: number
  /** How many of them (the first ones) are running or queued. */
  active: number
  rowHeight: number
  headingHeight: number
}

export function hasActiveHeading(layout: ListLayout): boolean {
  return layout.active > 0
}

export function hasFinishedHeading(layout: ListLayout): boolean {
  return layout.count > layout.active
}

/** Top of the "Finished" heading, from the top of the rows. */
export function finishedHeadingTop(layout: ListLayout): number {
  return (hasActiveHeading(layout) ? layout.headingHeight : 0) + layout.active * layout.rowHeight
}

/** Top of the job row at `index`. */
export function rowTop(layout: ListLayout, index: number): number {
  if (index < layout.active) return layout.headingHeight + index * layout.rowHeight
  return finishedHeadingTop(layout) + layout.headingHeight + (index - layout.active) * layout.rowHeight
}

export function totalHeight(layout: ListLayout): number {
  return layout.count === 0 ? 0 : rowTop(layout, layout.count - 1) + layout.rowHeight
}

/** The job row at height `y` (or the nearest one, for a heading or a height past either end). */
export function rowAt(layout: ListLayout, y: number): number {
  if (layout.count === 0) return 0
  const finishedTop = finishedHeadingTop(layout)
  let index: number
  if (y < finishedTop) {
    const offset = y - (hasActiveHeading(layout) ? layout.headingHeight : 0)
    index = Math.floor(Math.max(0, offset) / layout.rowHeight)
  } else {
    index = layout.active + Math.floor(Math.max(0, y - finishedTop - layout.headingHeight) / layout.rowHeight)
  }
  return Math.min(layout.count - 1, index)
}

/** The grid's aria-rowindex of a job row: the column headings are row 1, and each group heading is a row. */
export function ariaRowIndex(layout: ListLayout, index: number): number {
  const headingsBefore = index < layout.active ? 1 : hasActiveHeading(layout) ? 2 : 1
  return 2 + headingsBefore + index
}

/** Rows in the grid, headings included. */
export function ariaRowCount(layout: ListLayout): number {
  return 1 + layout.count + (hasActiveHeading(layout) ? 1 : 0) + (hasFinishedHeading(layout) ? 1 : 0)
}
