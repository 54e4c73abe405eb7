import { readdirSync } from 'node:fs'
import type { AnyJobKind } from '../../src/main/jobs/define-job'
import { fakeJobContext, type FakeJobContext } from './fake-job-context'

/** Parses the input as the engine does at submit, then runs the handler in this process. */
export async function runKind<Result = { outputs: { path: string; size: number }[] }>(
  kind: AnyJobKind,
  input: unknown,
  ctx: FakeJobContext = fakeJobContext(),
): Promise<Result> {
  return (await kind.run(kind.input.parse(input), ctx)) as Result
}

/** What a job may never leave behind: its hidden temporary output files. */
export function tempOutputs(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.spool-part'))
}

export async function expectRejection(
  promise: Promise<unknown>,
): Promise<{ code?: string; name?: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: string; name?: string; message: string }
  }
  throw new Error('expected the job to fail, but it succeeded')
}
