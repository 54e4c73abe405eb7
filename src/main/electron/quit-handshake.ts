export type QuitChoice = 'cancel-and-quit' | 'keep-running' | 'stay'

export interface QuitDeps {
  /** Jobs running right now. */
  running(): Promise<number>
  /** Asks the user what to do with the running jobs. */
  ask(running: number): Promise<QuitChoice>
  cancelAll(): Promise<void>
  /** Stops the scheduler and workers and closes the database. */
  shutdown(): Promise<void>
  /** Closes every window while the app keeps working in the background. */
  closeWindows(): void
  /** The user chose not to quit after the last window closed: give them a window back. */
  ensureWindow(): void
  /** Quits for real (the next `before-quit` is let through). */
  quit(): void
}

/**
 * The app's `before-quit`: with jobs running the user chooses between cancelling them, letting them finish in
 * the background (the app quits once the queue is idle), or not quitting. Every quit then shuts the engine
 * down before the process ends, so no worker is orphaned and the database is closed cleanly.
 */
export class QuitHandshake {
  readonly #deps: QuitDeps
  #phase: 'open' | 'asking' | 'background' | 'closing' | 'closed' = 'open'

  constructor(deps: QuitDeps) {
    this.#deps = deps
  }

  /** Working with no window open because the user chose "keep running". */
  get inBackground(): boolean {
    return this.#phase === 'background'
  }

  onBeforeQuit(event: { preventDefault(): void }): void {
    if (this.#phase === 'closed') return
    event.preventDefault()
    if (this.#phase === 'open' || this.#phase === 'background') void this.#decide()
  }

  /** A window was opened again (second launch, dock click): the user is back, so ask again on the next quit. */
  onWindowOpened(): void {
    if (this.#phase === 'background') this.#phase = 'open'
  }

  /** Called when nothing is running or waiting; finishes a quit deferred by "keep running". */
  onIdle(): void {
    if (this.#phase === 'background') void this.#close()
  }

  async #decide(): Promise<void> {
    this.#phase = 'asking'
    const running = await this.#deps.running()
    const choice = running > 0 ? await this.#deps.ask(running) : 'cancel-and-quit'
    if (choice === 'stay') {
      this.#phase = 'open'
      this.#deps.ensureWindow()
      return
    }
    if (choice === 'keep-running') {
      this.#phase = 'background'
      this.#deps.closeWindows()
      return
    }
    if (running > 0) await this.#deps.cancelAll()
    await this.#close()
  }

  async #close(): Promise<void> {
    this.#phase = 'closing'
    try {
      await this.#deps.shutdown()
    } catch (error) {
      // Quitting must not hang on a failed shutdown; the next start recovers whatever was left running.
      console.error('Spool could not shut down cleanly:', error)
    }
    this.#phase = 'closed'
    this.#deps.quit()
  }
}
