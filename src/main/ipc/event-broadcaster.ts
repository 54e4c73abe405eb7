import type { EventBatch, EventListener } from '../../shared/events'
import { pushChannels } from '../../shared/ipc-channels'

/** The part of Electron's `WebContents` a broadcast needs. */
export interface EventSink {
  isDestroyed(): boolean
  send(channel: string, batch: EventBatch): void
}

export interface EventSource {
  subscribe(listener: EventListener): () => void
}

/**
 * Subscribes to the engine once and forwards every batch, `seq` and all, to every live window, so an action
 * in one window reaches the others in the same coalesced batch. A window that closed between listing and
 * sending is skipped; a window that opens later catches up with `snapshot` and continues from its `seq`.
 */
export function broadcastEvents(source: EventSource, windows: () => Iterable<EventSink>): () => void {
  return source.subscribe((batch) => {
    for (const sink of windows()) {
      if (!sink.isDestroyed()) sink.send(pushChannels.events, batch)
    }
  })
}
