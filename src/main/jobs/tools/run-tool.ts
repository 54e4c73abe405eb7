import { basename } from 'node:path'
import { SpoolError } from '../../../shared/errors'
import type { JobContext } from '../define-job'

export interface ToolRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  /** The end of what the tool wrote to stderr: the part that says what went wrong. */
  stderrTail: string
}

const stderrTailChars = 4000
/** More stdout than any answer or line a tool gives Spool: past it the tool is stopped, not its output kept. */
const stdoutLimitChars = 16 << 20

export interface RunToolOptions {
  onLine?: (line: string) => void
  /** How much of the end of stderr to keep: more than the default when stderr is the answer (a header). */
  stderrChars?: number
  /** Open descriptors handed to the tool as its fd 3, 4, …: an output it writes without opening it by name. */
  fds?: number[]
  /**
   * The most stdout held at once (collected, or one line not yet ended); a tool writing more is killed and the
   * run fails, so a tool gone wild cannot grow the worker's memory.
   */
  stdoutChars?: number
}

/**
 * Runs a tool as a tracked child of the job (killed at once on cancel, and by the engine on the job's end and
 * if the worker dies) and waits for it to exit. Whole stdout lines go to `onLine` when given, else they are collected.
 * Rejects `HANDLER_ERROR` when the tool writes more stdout than `stdoutChars` (collected, or in one line).
 */
export function runTool(
  ctx: Pick<JobContext, 'spawn' | 'signal'>,
  command: string,
  args: readonly string[],
  options: RunToolOptions = {},
): Promise<ToolRun> {
  const { onLine, stderrChars = stderrTailChars, fds = [], stdoutChars = stdoutLimitChars } = options
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
    let overflowed = false
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (overflowed) return
      if (!onLine) stdout += chunk
      else {
        const lines = (partial + chunk).split('\n')
        partial = lines.pop() ?? ''
        for (const line of lines) onLine(line.trimEnd())
      }
      if (stdout.length + partial.length <= stdoutChars) return
      overflowed = true
      stdout = partial = ''
      child.kill('SIGKILL')
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrChars)
    })
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (overflowed) {
        const limit = `${sizeText(stdoutChars)} of output${onLine ? ' in one line' : ''}`
        const message = `${basename(command)} wrote more than ${limit}; it was stopped`
        return reject(new SpoolError('HANDLER_ERROR', message, { stderrTail: stderr.trim() }))
      }
      if (partial && onLine) onLine(partial.trimEnd())
      resolve({ code, signal, stdout, stderrTail: stderr.trim() })
    })
  })
}

function sizeText(chars: number): string {
  return chars % (1 << 20) === 0 ? `${chars / (1 << 20)} MiB` : `${Math.round(chars / 1024)} KiB`
}
