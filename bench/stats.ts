export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Half the distance between the lowest and highest run, relative to the median: how far to trust it. */
export function spread(values: readonly number[]): number {
  const mid = median(values)
  return mid === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / 2 / mid
}

/**
 * Runs each contender once per round, in a rotating order, so drift in the machine's load hits all alike; each
 * is told the round's number (the same for all in a round), so rounds may take turns over different work.
 */
export async function interleaved<K extends string>(
  rounds: number,
  contenders: Record<K, (round: number) => Promise<number>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[]
  const results = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!
      results[name].push(await contenders[name](round))
    }
  }
  return results
}

/** The value a quarter and three quarters of the way up: where the middle half of the values lies. */
export function quartiles(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => {
    const position = (sorted.length - 1) * q
    const low = Math.floor(position)
    return sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low)
  }
  return [at(0.25), at(0.75)]
}
