export interface FfmpegProgress {
  /** Seconds of output written so far. */
  outSeconds: number
  /** Times realtime, when ffmpeg knows it. */
  speed?: number
  done: boolean
}

function clock(value: string): number | undefined {
  const match = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(value)
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined
}

/**
 * Reads the `key=value` blocks of `ffmpeg -progress pipe:1`; each block ends with `progress=continue|end`.
 * `out_time_ms` is in microseconds despite its name, and older builds lack `out_time_us`.
 */
export function ffmpegProgressReader(onBlock: (progress: FfmpegProgress) => void): (line: string) => void {
  let block = new Map<string, string>()
  return (line) => {
    const equals = line.indexOf('=')
    if (equals < 0) return
    const key = line.slice(0, equals).trim()
    const value = line.slice(equals + 1).trim()
    if (key !== 'progress') {
      block.set(key, value)
      return
    }
    const micros = Number(block.get('out_time_us') ?? block.get('out_time_ms'))
    const outSeconds = Number.isFinite(micros) ? micros / 1e6 : (clock(block.get('out_time') ?? '') ?? 0)
    const speed = Number.parseFloat(block.get('speed') ?? '')
    onBlock({ outSeconds: Math.max(0, outSeconds), ...(Number.isFinite(speed) && { speed }), done: value === 'end' })
    block = new Map()
  }
}
