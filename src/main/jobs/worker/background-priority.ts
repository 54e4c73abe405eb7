import { constants, getPriority, setPriority } from 'node:os'

const belowNormal = constants.priority.PRIORITY_BELOW_NORMAL

/**
 * Lowers this worker process to below-normal priority (nice 10; Windows' "below normal" class), as HandBrake
 * runs its encodes: when conversions keep every core busy, the app's own processes and the user's other
 * programs still get the CPU the moment they need it, and on an otherwise idle machine the jobs lose nothing.
 * The tools a job starts (ffmpeg) inherit it. A worker already running lower (a host started with `nice`)
 * keeps its priority; a system that refuses the change leaves it as it is.
 */
export function runBelowNormalPriority(): void {
  try {
    // A larger nice value is a lower priority; raising it back would need privileges anyway.
    if (getPriority() < belowNormal) setPriority(belowNormal)
  } catch {
    // Not permitted here (a sandbox, an unusual system): the worker runs at the host's priority.
  }
}
