import type { PowerSaveBlocker } from 'electron'

/**
 * Keeps the system from suspending while jobs run (the screen may still sleep), and lets it go as soon as
 * nothing runs.
 */
export class PowerSaveGuard {
  readonly #blocker: Pick<PowerSaveBlocker, 'start' | 'stop'>
  #id: number | undefined

  constructor(blocker: Pick<PowerSaveBlocker, 'start' | 'stop'>) {
    this.#blocker = blocker
  }

  update(running: number): void {
    if (running > 0 && this.#id === undefined) this.#id = this.#blocker.start('prevent-app-suspension')
    else if (running === 0 && this.#id !== undefined) this.release()
  }

  release(): void {
    if (this.#id !== undefined) this.#blocker.stop(this.#id)
    this.#id = undefined
  }
}
