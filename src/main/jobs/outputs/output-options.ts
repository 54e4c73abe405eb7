import { z } from 'zod'
import { folderPath } from './input-file'
import { templateProblem } from './output-name'

const placeholder = /\{([^}]*)\}/g
const knownPlaceholders = new Set(['name', 'ext', 'preset'])

/** A file name pattern: `{name}` (the input's name without extension), `{ext}` (the output's), `{preset}`. */
export const nameTemplate = z
  .string()
  .min(1)
  .max(200)
  .refine((template) => !/[/\\\0]/.test(template), 'must be a file name, without / or \\')
  .refine((template) => /[^.]/.test(template), 'must be a file name, not only dots')
  .refine(
    (template) => [...template.matchAll(placeholder)].every((match) => knownPlaceholders.has(match[1] ?? '')),
    'may use only {name}, {ext} and {preset}',
  )
  .superRefine((template, ctx) => {
    const problem = templateProblem(template)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

export const collisionPolicy = z.enum(['rename', 'overwrite', 'skip'])
export type CollisionPolicy = z.infer<typeof collisionPolicy>

/** The output fields every conversion kind takes, spread into its input schema. */
export const outputFields = {
  /** Where outputs go; default: beside each input. */
  outputDir: folderPath.optional(),
  nameTemplate: nameTemplate.optional().meta({
    title: 'Output name',
    description: '{name}: the input’s name, {ext}: the new extension; e.g. {name}-small.{ext}',
  }),
  /** What to do when the output name is taken: "name (1).ext", replace it, or leave it and skip. */
  collision: collisionPolicy.default('rename').meta({
    title: 'If the output exists',
    optionLabels: { rename: 'Add a number: name (1)', overwrite: 'Replace it', skip: 'Skip this file' },
  }),
}

export interface OutputOptions {
  outputDir?: string | undefined
  nameTemplate?: string | undefined
  collision: CollisionPolicy
}
