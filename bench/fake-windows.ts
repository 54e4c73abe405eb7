import { serialize } from 'node:v8'
import type { EventBatch } from '../src/shared/events'
import { broadcastEvents, type EventSink, type EventSource } from '../src/main/ipc/event-broadcaster'

/**
 * Stands in for a window's `webContents`: `send` pays what Electron pays on the main process's side, a
 * structured-clone serialisation of the batch (the same V8 serializer), and hands the batch on.
 */
export class FakeWebContents implements EventSink {
  batches = 0
  bytes = 0
  readonly #onBatch: ((batch: EventBatch) => void) | undefined

  constructor(onBatch?: (batch: EventBatch) => void) {
    this.#onBatch = onBatch
  }

  isDestroyed(): boolean {
    return false
  }

  send(_channel: string, batch: EventBatch): void {
    this.bytes += serialize(batch).length
    this.batches++
    this.#onBatch?.(batch)
  }
}

/** Subscribes `count` fake windows the way the Electron shell does; answers them and how to unsubscribe. */
export function subscribeWindows(
  source: EventSource,
  count: number,
  onBatch?: (batch: EventBatch, window: number) => void,
): { windows: FakeWebContents[]; unsubscribe: () => void } {
  const windows = Array.from(
    { length: count },
    (_, index) => new FakeWebContents(onBatch && ((batch) => onBatch(batch, index))),
  )
  return { windows, unsubscribe: broadcastEvents(source, () => windows) }
}
