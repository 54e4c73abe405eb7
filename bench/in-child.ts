import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * Runs a benchmark script in a fresh Node process and answers what it reports with `reportToParent`: for
 * memory figures that nothing else in this process may disturb.
 */
export function inChild<T>(script: URL, args: string[], nodeFlags: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(script), args, {
      execArgv: ['--import', 'tsx', ...nodeFlags],
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let result: { value: T } | null = null
    child.on('message', (message: { value: T }) => (result = message))
    child.once('error', reject)
    child.once('exit', (code) => {
      if (result) resolve(result.value)
      else reject(new Error(`${fileURLToPath(script)} ${args.join(' ')} exited with ${code} without a result`))
    })
  })
}

/** The child's side: sends its result, then lets the process end. */
export function reportToParent(value: unknown): Promise<void> {
  return new Promise((resolve) => process.send!({ value }, () => resolve()))
}
