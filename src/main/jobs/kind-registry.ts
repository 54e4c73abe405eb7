import { basename } from 'node:path'
import { z } from 'zod'
import { SpoolError, type JobError } from '../../shared/errors'
import type { JobSpec, KindInfo } from '../../shared/job'
import { limits } from '../../shared/limits'
import type { NewJob } from '../db/job-inserts'
import type { AnyJobKind } from './define-job'
import type { PathPolicy } from './path-policy'

function inputError(index: number, issue: z.core.$ZodIssue | undefined): SpoolError {
  const path = issue?.path.map(String) ?? []
  const field = [String(index), 'input', ...path].join('.')
  const where = path.length ? `${path.join('.')}: ` : ''
  return new SpoolError('INVALID_INPUT', `Job ${index + 1}: ${where}${issue?.message ?? 'invalid input'}`, { field })
}

/** The kinds a Spool accepts, and the checks a spec passes before anything of its batch is stored. */
export class KindRegistry {
  readonly #kinds: Map<string, AnyJobKind>
  readonly #policy: PathPolicy
  #info: KindInfo[] | null = null

  constructor(kinds: readonly AnyJobKind[], policy: PathPolicy) {
    this.#kinds = new Map(kinds.map((kind) => [kind.kind, kind]))
    this.#policy = policy
  }

  get(kind: string): AnyJobKind | undefined {
    return this.#kinds.get(kind)
  }

  /** Validates one spec against its kind and the granted paths; throws the first problem, naming the field. */
  prepare(spec: JobSpec, index: number): NewJob {
    const kind = this.#kinds.get(spec.kind)
    if (!kind) {
      throw new SpoolError('UNKNOWN_KIND', `Job ${index + 1}: unknown kind "${spec.kind.slice(0, 100)}"`, {
        field: `${index}.kind`,
      })
    }
    const availability = kind.available?.()
    if (availability && !availability.available) {
      throw new SpoolError('UNAVAILABLE', `${kind.title} is unavailable: ${availability.reason ?? 'no reason given'}`)
    }
    const parsed = kind.input.safeParse(spec.input)
    if (!parsed.success) throw inputError(index, parsed.error.issues[0])
    const paths = this.#checkPaths(kind, parsed.data)
    const first = paths.read?.[0]
    const job: NewJob = {
      kind: kind.kind,
      label:
        spec.label ?? kind.label?.(parsed.data).slice(0, limits.labelLength) ?? (first ? basename(first) : kind.title),
      input: parsed.data,
      priority: spec.priority ?? 0,
      maxAttempts: spec.maxAttempts ?? 1,
    }
    if (spec.runAfter !== undefined) job.runAfter = spec.runAfter
    return job
  }

  /**
   * Checks a queued job's paths again just before it runs: a link in a granted folder may have been pointed
   * elsewhere, or the file replaced by a device, since it was submitted. Answers why it may not run, if so.
   */
  recheck(kindName: string, input: unknown): JobError | null {
    const kind = this.#kinds.get(kindName)
    if (!kind?.paths) return null
    try {
      this.#checkPaths(kind, input)
      return null
    } catch (error) {
      if (error instanceof SpoolError) return { code: error.code, message: error.message }
      throw error
    }
  }

  /**
   * The folders a stored job writes into that the granted paths allow now, resolved after symlinks; none for a
   * kind this Spool does not have or an input it cannot read.
   */
  writeFolders(kindName: string, input: unknown): string[] {
    let folders: string[]
    try {
      folders = this.#kinds.get(kindName)?.paths?.(input).write ?? []
    } catch {
      return []
    }
    return folders.flatMap((folder) => {
      try {
        return [this.#policy.checkWrite(folder)]
      } catch {
        return []
      }
    })
  }

  #checkPaths(kind: AnyJobKind, input: unknown): { read?: string[]; write?: string[] } {
    const paths = kind.paths?.(input) ?? {}
    for (const path of paths.read ?? []) this.#policy.checkRead(path)
    for (const path of paths.write ?? []) this.#policy.checkWrite(path)
    return paths
  }

  timeoutMs(kind: string, fallback: number): number {
    return this.#kinds.get(kind)?.timeoutMs ?? fallback
  }

  info(): KindInfo[] {
    this.#info ??= [...this.#kinds.values()].map((kind) => {
      const availability = kind.available?.() ?? { available: true }
      const info: KindInfo = {
        kind: kind.kind,
        title: kind.title,
        inputSchema: z.toJSONSchema(kind.input, { unrepresentable: 'any', io: 'input' }),
        accepts: kind.accepts ?? [],
        available: availability.available,
      }
      if (kind.description) info.description = kind.description
      if (availability.reason) info.unavailableReason = availability.reason
      return info
    })
    return this.#info
  }
}
