import type { GrowthFigure } from './growth-run'
import { inChild } from './in-child'

const script = new URL('./growth-run.ts', import.meta.url)

/** `jobs` no-op jobs through Spool in a fresh process: throughput and that process's memory. */
export function growthRun(jobs: number): Promise<GrowthFigure> {
  return inChild<GrowthFigure>(script, [String(jobs)], ['--expose-gc'])
}

export type { GrowthFigure }
