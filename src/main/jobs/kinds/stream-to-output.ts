import type { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { JobContext } from '../define-job'
import { readInputAsIs } from '../outputs/input-file'
import { outputError } from '../outputs/output-errors'
import type { CollisionPolicy } from '../outputs/output-options'
import { StagedOutputs, stagedWriteStream, type OutputFile } from '../outputs/staged-outputs'
import { byteProgress } from './byte-progress'

export interface StreamToOutput {
  input: string
  size: number
  /** One transform, or several in turn. */
  transform: Transform | Transform[]
  folder: string
  fileName: string
  collision: CollisionPolicy
  /** Turns an error of the transform itself (bad input data) into the job's error; others are output errors. */
  inputError?: (error: unknown) => Error | undefined
}

/**
 * Streams one file through a transform into one staged output, reporting bytes read; the output is put in
 * place only when the stream finished, and removed otherwise.
 */
export async function streamToOutput(
  options: StreamToOutput,
  { signal, progress, outputs: record }: Pick<JobContext, 'signal' | 'progress' | 'outputs'>,
): Promise<{ outputs: OutputFile[]; skipped: readonly string[] }> {
  const outputs = new StagedOutputs(options.collision, record)
  try {
    const staged = await outputs.stage(options.folder, options.fileName)
    if (staged) {
      const snapshot = readInputAsIs(options.input)
      await pipeline(
        snapshot.stream,
        byteProgress(options.size, progress),
        ...[options.transform].flat(),
        stagedWriteStream(staged),
        { signal },
      ).catch((error: unknown) => {
        signal.throwIfAborted()
        throw options.inputError?.(error) ?? outputError(error, options.folder)
      })
      snapshot.checkUnchanged()
    }
    return { outputs: await outputs.commit(signal), skipped: outputs.skipped }
  } finally {
    await outputs.discard()
  }
}
