import { median, spread } from './stats'

/** One line of the results table: what was measured, against which target, and whether it was met. */
export interface Row {
  scenario: string
  measured: string
  target: string
  met: boolean
  raw: unknown
}

/** What every scenario is given: the mode, and where its rows and side notes go. */
export interface Bench {
  quick: boolean
  row(row: Row): void
  /** A figure that explains a row (a breakdown, a profile), printed and kept in the JSON. */
  note(line: string): void
}

export type Scenario = (bench: Bench) => Promise<void>

export const pct = (value: number): string => `±${(value * 100).toFixed(0)}%`

export const ms = (value: number, digits = value < 10 ? 2 : value < 100 ? 1 : 0): string =>
  `${value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ms`

export const count = (value: number): string => Math.round(value).toLocaleString('en')

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`

/** How far apart the rounds were; nothing when there was one round. */
export const spreadOf = (values: readonly number[]): string => (values.length > 1 ? ` ${pct(spread(values))}` : '')

/** The median of several rounds with how far apart the rounds were. */
export const medianMs = (values: readonly number[]): string => `${ms(median(values))}${spreadOf(values)}`

/** The p-th percentile (0..100) of samples, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}
