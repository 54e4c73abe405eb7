import type { JobContext } from '../define-job'

export interface ToolRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  /** The end of what the tool wrote to stderr: the part that says what went wrong. */
  stderrTail: string
}

const stderrTailChars = 4000

export interface RunToolOptions {
  onLine?: (line: string) => void
  /** How much of the end of stderr to keep: more than the default when stderr is the answer (a header). */
  stderrChars?: number
  /** Open descriptors handed to the tool as its fd 3, 4, …: an output it writes without opening it by name. */
  fds?: number[]
}

/**
 * Runs a tool as a tracked child of the job (killed at once on cancel, and by the engine on the job's end and
 * if the worker dies) and waits for it to exit. Whole stdout lines go to `onLine` when given, else they are collected.
 */
export function runTool(
  ctx: Pick<JobContext, 'spawn' | 'signal'>,
  command: string,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolRun> {
  const { onLine, stderrChars = stderrTailChars, fds = [] } = options
  return new Promise((resolve, reject) => {
    const child = ctx.spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe', ...fds] })
    // Its output is thrown away on cancel, so there is nothing to let it finish: ffmpeg on TERM flushes its
    // encoders first, which can outlast the engine's grace period and leave its temp file behind.
    const kill = () => child.kill('SIGKILL')
    ctx.signal.addEventListener('abort', kill, { once: true })
    child.once('exit', () => ctx.signal.removeEventListener('abort', kill))
    let stdout = ''
    let partial = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (!onLine) {
        stdout += chunk
        return
      }
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) onLine(line.trimEnd())
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrChars)
    })
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (partial && onLine) onLine(partial.trimEnd())
      resolve({ code, signal, stdout, stderrTail: stderr.trim() })
    })
  })
}
