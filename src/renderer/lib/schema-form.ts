import type { JobSpec, KindInfo } from '../../shared/job'

/** How a field of a kind's input is edited. File fields follow the conversion kinds' names (`input`, `inputs`, `outputDir`). */
export type FieldKind = 'file' | 'files' | 'folder' | 'enum' | 'integer' | 'number' | 'boolean' | 'text'

export interface FormField {
  name: string
  kind: FieldKind
  label: string
  required: boolean
  options?: string[]
  /** What each option reads as, where the kind names them (`optionLabels` in its schema). */
  optionLabels?: Record<string, string>
  /** A line under the field, from the schema's `description`. */
  hint?: string
  min?: number
  max?: number
  defaultValue?: unknown
  /** Left folded under "More options": switches and limits with sensible defaults, and output naming. */
  advanced: boolean
}

interface PropertySchema {
  type?: string
  title?: string
  description?: string
  enum?: unknown[]
  optionLabels?: Record<string, string>
  minimum?: number
  maximum?: number
  default?: unknown
  items?: PropertySchema
  properties?: Record<string, PropertySchema>
}

interface ObjectSchema {
  properties?: Record<string, PropertySchema>
  required?: string[]
}

/** "maxInputPixels" → "Max input pixels". */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function fieldKind(name: string, schema: PropertySchema): FieldKind | null {
  if (name === 'input' && schema.type === 'string') return 'file'
  if (name === 'inputs' && schema.type === 'array') return 'files'
  if (name === 'outputDir') return 'folder'
  if (Array.isArray(schema.enum)) return 'enum'
  if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean') return schema.type
  if (schema.type === 'string') return 'text'
  return null
}

const outputNaming = new Set(['nameTemplate', 'collision'])

function isAdvanced(name: string, kind: FieldKind, schema: PropertySchema): boolean {
  if (outputNaming.has(name) || kind === 'boolean') return true
  return (kind === 'integer' || kind === 'number') && schema.default !== undefined
}

function makeField(
  name: string,
  type: FieldKind,
  property: PropertySchema,
  label: string,
  required: boolean,
): FormField {
  const field: FormField = { name, kind: type, label, required, advanced: isAdvanced(name, type, property) }
  if (type === 'enum') field.options = property.enum!.map(String)
  if (property.optionLabels) field.optionLabels = property.optionLabels
  if (property.description) field.hint = property.description
  if (property.minimum !== undefined) field.min = property.minimum
  if (property.maximum !== undefined) field.max = property.maximum
  if (property.default !== undefined) field.defaultValue = property.default
  return field
}

/**
 * The editable fields of a kind's input JSON Schema; fields the form cannot edit are left to their defaults.
 * An object of plain values (a size: width and height) gives one field per value, named `object.value`.
 */
export function formFields(kind: KindInfo): FormField[] {
  const schema = (kind.inputSchema ?? {}) as ObjectSchema
  const required = new Set(schema.required ?? [])
  const fields: FormField[] = []
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const label = property.title ?? humanize(name)
    if (property.type === 'object' && property.properties) {
      for (const [inner, innerProperty] of Object.entries(property.properties)) {
        const type = fieldKind(inner, innerProperty)
        if (!type || type === 'file' || type === 'files' || type === 'folder') continue
        const innerLabel = innerProperty.title ?? humanize(inner)
        const joined = `${label} ${innerLabel.charAt(0).toLowerCase()}${innerLabel.slice(1)}`
        fields.push(makeField(`${name}.${inner}`, type, innerProperty, joined, false))
      }
      continue
    }
    const type = fieldKind(name, property)
    if (type) fields.push(makeField(name, type, property, label, required.has(name)))
  }
  return fields
}

/** The field that takes the job's file or files, if the kind takes any. */
export function fileFieldOf(fields: readonly FormField[]): FormField | undefined {
  return fields.find((field) => field.kind === 'file' || field.kind === 'files')
}

export function initialValues(fields: readonly FormField[]): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.defaultValue !== undefined) values[field.name] = field.defaultValue
    else if (field.kind === 'boolean') values[field.name] = false
    else if (field.kind === 'enum' && field.required) values[field.name] = field.options?.[0]
  }
  return values
}

/** Drops what the user left empty, so optional fields fall back to the kind's defaults. */
function cleaned(fields: readonly FormField[], values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const field of fields) {
    let value = values[field.name]
    if (value === undefined || value === '' || field.kind === 'file' || field.kind === 'files') continue
    if ((field.kind === 'integer' || field.kind === 'number') && typeof value === 'string') value = Number(value)
    const [outer, inner] = field.name.split('.') as [string, string | undefined]
    if (inner === undefined) input[outer] = value
    else input[outer] = { ...(input[outer] as Record<string, unknown> | undefined), [inner]: value }
  }
  return input
}

/**
 * The jobs one submit of the form makes: one per file, otherwise `copies` identical jobs. A kind that takes a
 * list (image conversion) converts each file on its own, so each gets its own job too: its own progress,
 * cancel and retry, and an unreadable file fails only its own job instead of the whole batch. Jobs on files
 * are left unlabelled: the engine names them by their kind, file and options ("holiday.mp4 → MP3").
 */
export function buildSpecs(
  kind: KindInfo,
  fields: readonly FormField[],
  values: Record<string, unknown>,
  files: readonly string[],
  copies: number,
): JobSpec[] {
  const input = cleaned(fields, values)
  const fileField = fileFieldOf(fields)
  if (fileField?.kind === 'file') {
    return files.map((path) => ({ kind: kind.kind, input: { ...input, input: path } }))
  }
  if (fileField?.kind === 'files') {
    return files.map((path) => ({ kind: kind.kind, input: { ...input, inputs: [path] } }))
  }
  return Array.from({ length: copies }, (_, i) => ({
    kind: kind.kind,
    label: copies > 1 ? `${kind.title} ${i + 1}` : kind.title,
    input,
  }))
}
