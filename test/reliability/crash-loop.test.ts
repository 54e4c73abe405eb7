import { describe, expect, it } from 'vitest'
import { useTempDir } from '../support/temp-dir'
import { runCrashLoop } from './crash-loop'

describe('crash loop', () => {
  const tempDir = useTempDir('spool-crash-')

  it('a host killed five times at random moments loses no job, completes each once and leaves no process', async () => {
    const seed = Number(process.env.SPOOL_CHAOS_SEED ?? Date.now() % 1_000_000)
    const report = await runCrashLoop({ dataDir: tempDir(), jobs: 250, kills: 5, seed, maxKillDelayMs: 800 })
    expect({ seed, violations: report.violations }).toEqual({ seed, violations: [] })
    expect(report).toMatchObject({ killsSurvived: 5, jobsChecked: 250 })
    expect(report.interruptions).toBeGreaterThan(0)
  }, 90_000)
})
