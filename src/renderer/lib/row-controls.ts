import { nextTick, type Ref } from 'vue'

interface RowFocus {
  /** Where the list's focused row is among its rows; -1 when none is. */
  focusedIndex: () => number
  focusRow: (id: string) => void
  /** Scrolls a row into the window so its buttons exist. */
  reveal: (index: number) => void
  /** Moves the focused row up (negative) or down. */
  move: (step: number) => void
}

/**
 * The buttons in a list's rows are not Tab stops: the list is one, and its focused row is its active
 * descendant. Right arrow on the row reaches the row's buttons; on a button, Left and Right go along them and
 * Left from the first goes back to the row; Up, Down and Escape go back to the row (Up and Down then move on).
 * Rows carry `data-job-id`; their buttons sit in `.actions`.
 */
export function useRowControls(list: Ref<HTMLElement | null>, rows: RowFocus) {
  function controlsOf(row: Element | null | undefined): HTMLElement[] {
    return row ? [...row.querySelectorAll<HTMLElement>('.actions button, .actions a')] : []
  }

  async function enter(): Promise<void> {
    const index = rows.focusedIndex()
    if (index < 0) return
    rows.reveal(index)
    await nextTick()
    controlsOf(list.value?.querySelector('[role="row"].focused'))[0]?.focus()
  }

  function onControlKey(event: KeyboardEvent): void {
    const control = event.target as HTMLElement
    const row = control.closest<HTMLElement>('[data-job-id]')
    const controls = controlsOf(row)
    const at = controls.indexOf(control)
    if (event.key === 'ArrowRight' || (event.key === 'ArrowLeft' && at > 0)) {
      event.preventDefault()
      controls[at + (event.key === 'ArrowRight' ? 1 : -1)]?.focus()
      return
    }
    if (!['ArrowLeft', 'ArrowUp', 'ArrowDown', 'Escape'].includes(event.key)) return
    event.preventDefault()
    if (row?.dataset.jobId) rows.focusRow(row.dataset.jobId)
    list.value?.focus({ preventScroll: true })
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') rows.move(event.key === 'ArrowUp' ? -1 : 1)
  }

  return { enter, onControlKey }
}
