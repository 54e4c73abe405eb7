import { computed, onMounted, onUnmounted, ref, type Ref } from 'vue'
import { rowAt, rowTop, type ListLayout } from './list-layout'

/** Rows rendered beyond each edge of the viewport, so a short scroll shows rows that are already there. */
const overscan = 3

/** One rendered row: the slot that holds it, its place in the list, and where it sits. */
export interface RowSlot {
  slot: number
  index: number
  top: number
}

/**
 * The rows of a fixed-height list that are in view, for a scroller whose first child is a sticky header. A
 * fixed ring of slots holds them: slot k always shows the row whose index is k modulo the ring size, so
 * scrolling by a few rows re-renders only the rows that came into view; the others stay where they are.
 */
export function useRowWindow(
  layout: Ref<ListLayout>,
  scroller: Ref<HTMLElement | null>,
  head: Ref<HTMLElement | null>,
) {
  const scrollTop = ref(0)
  // Until the first measurement, the window's height bounds the list's: enough rows to fill it.
  const viewport = ref(window.innerHeight)
  const headHeight = ref(0)

  const slotCount = computed(() => Math.ceil(viewport.value / layout.value.rowHeight) + 2 * overscan + 1)
  const slots = computed(() => {
    const size = slotCount.value
    const first = Math.max(0, rowAt(layout.value, scrollTop.value) - overscan)
    const out: RowSlot[] = []
    for (let slot = 0; slot < size; slot++) {
      const index = first + ((((slot - first) % size) + size) % size)
      if (index >= layout.value.count) continue
      out.push({ slot, index, top: rowTop(layout.value, index) })
    }
    return out
  })

  // Measured when the browser reports a size (after its own layout), never by forcing one.
  const resizes = new ResizeObserver(() => {
    if (!scroller.value) return
    viewport.value = scroller.value.clientHeight
    headHeight.value = head.value?.offsetHeight ?? 0
  })
  onMounted(() => {
    resizes.observe(scroller.value!)
    resizes.observe(head.value!)
  })
  onUnmounted(() => resizes.disconnect())

  function onScroll(): void {
    scrollTop.value = scroller.value!.scrollTop
  }

  /** Scrolls just enough to show the row (and its group heading when it is the group's first row). */
  function reveal(index: number): void {
    const element = scroller.value
    if (!element) return
    const { rowHeight, headingHeight, active } = layout.value
    const top = rowTop(layout.value, index)
    const wanted = index === 0 || index === active ? top - headingHeight : top
    const visibleHeight = element.clientHeight - headHeight.value
    if (wanted < element.scrollTop) element.scrollTop = wanted
    else if (top + rowHeight > element.scrollTop + visibleHeight) element.scrollTop = top + rowHeight - visibleHeight
  }

  return { slots, onScroll, reveal }
}
