import { inChild } from './in-child'

export interface HeapFigure {
  /** V8 heap used once open, after a full GC. */
  heapUsed: number
  heapDelta: number
  rss: number
  rssDelta: number
}

const probe = new URL('./heap-probe.ts', import.meta.url)

/** Memory of a fresh process once Spool has opened `database` (or an empty one) and served a snapshot and a page. */
export function heapAfterOpen(database?: string): Promise<HeapFigure> {
  return inChild<HeapFigure>(probe, database ? [database] : [], ['--expose-gc'])
}
