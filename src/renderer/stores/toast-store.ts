import { defineStore } from 'pinia'
import { ref } from 'vue'

export interface Toast {
  id: number
  kind: 'error' | 'info'
  text: string
}

const visibleMs = 6000

/** An error from a command: its message says what to do, its code names the kind of problem. */
export function errorText(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code
  const message = cause instanceof Error ? cause.message : String(cause)
  return typeof code === 'string' && code !== 'INTERNAL' ? `${message} (${code})` : message
}

/** Short messages in a corner: a failed command's typed message, or what a bulk action did. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let nextId = 1

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id)
  }

  /**
   * A message already showing is not stacked again (a field refused three times, a command retried): it moves
   * to the end as a new toast, so it is said again to screen readers and stays its full time.
   */
  function show(kind: Toast['kind'], text: string): void {
    const id = nextId++
    const others = toasts.value.filter((toast) => toast.kind !== kind || toast.text !== text)
    toasts.value = [...others.slice(-4), { id, kind, text }]
    setTimeout(() => dismiss(id), visibleMs)
  }

  /** An error from a command, as `errorText` words it. */
  function error(cause: unknown): void {
    show('error', errorText(cause))
  }

  return { toasts, show, error, dismiss, info: (text: string) => show('info', text) }
})
