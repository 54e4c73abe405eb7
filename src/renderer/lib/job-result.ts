import { countText } from './format'
import { humanize, type FormField } from './schema-form'

/** A file a finished job wrote, as its result lists it. */
export interface OutputEntry {
  path: string
  name: string
  size?: number
}

export interface ResultFact {
  label: string
  value: string
  /** A list's items, one a line (`value` joins them with line breaks, which a name may also hold). */
  items?: string[]
}

/**
 * A yes-or-no option reads as the New job form asks it, not as `true` or `false`; a large number in groups of
 * digits ("268,402,689" in English), as people read it. Below 10,000 (a width, a year) it stays as typed.
 */
function plainText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 10_000) return countText(value)
  return String(value)
}

function record(result: unknown): Record<string, unknown> {
  return result !== null && typeof result === 'object' && !Array.isArray(result)
    ? (result as Record<string, unknown>)
    : {}
}

function baseName(path: string): string {
  return path.split(/[/\\]/).pop() || path
}

/** The files in `result.outputs`, in order: their index is what a download asks for. */
export function resultOutputs(result: unknown): OutputEntry[] {
  const outputs = record(result).outputs
  if (!Array.isArray(outputs)) return []
  return outputs.flatMap((output: unknown) => {
    const { path, size } = record(output)
    if (typeof path !== 'string') return []
    return [{ path, name: baseName(path), ...(typeof size === 'number' && { size }) }]
  })
}

/** Files a job left alone because the output name was taken and its policy said skip. */
export function resultSkipped(result: unknown): string[] {
  const skipped = record(result).skipped
  return Array.isArray(skipped) ? skipped.filter((path): path is string => typeof path === 'string') : []
}

/** What else a job answered (a checksum's digest, say): its plain values, labelled. */
export function resultFacts(result: unknown): ResultFact[] {
  return Object.entries(record(result)).flatMap(([key, value]) => {
    if (key === 'outputs' || key === 'skipped') return []
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return []
    return [{ label: humanize(key), value: plainText(value) }]
  })
}

/**
 * A job's input as labelled values: lists one item a line, nested values as compact JSON. With the kind's form
 * fields, each value reads as the form labels it (and an option by its name), and a size as its sides.
 */
export function inputFacts(input: unknown, fields: readonly FormField[] = []): ResultFact[] {
  const byName = new Map(fields.map((field) => [field.name, field]))
  const fact = (name: string, value: unknown): ResultFact => {
    const field = byName.get(name)
    const label = field?.label ?? humanize(name)
    if (Array.isArray(value) && value.every((item) => typeof item !== 'object')) {
      const items = value.map(plainText)
      return { label, value: items.join('\n'), items }
    }
    if (value !== null && typeof value === 'object') return { label, value: JSON.stringify(value) }
    return { label, value: (typeof value === 'string' && field?.optionLabels?.[value]) || plainText(value) }
  }
  return Object.entries(record(input)).flatMap(([key, value]) => {
    const inner = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : []
    if (inner.length > 0 && inner.every(([name]) => byName.has(`${key}.${name}`))) {
      return inner.map(([name, innerValue]) => fact(`${key}.${name}`, innerValue))
    }
    return [fact(key, value)]
  })
}
