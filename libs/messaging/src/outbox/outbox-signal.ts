import type { StoredOutboxEvent } from './outbox-event';

/** The events one commit added to one aggregate's outbox, oldest first. */
export interface WrittenOutboxEvents {
  aggregateId: string;
  events: readonly StoredOutboxEvent[];
}

/**
 * Says that a store's outbox was written: a repository calls `notify()` after each commit that
 * added events, and the relays of the store (in this process) publish them at once instead of at
 * their next periodic pass. Told what the commit added, a relay claims those events directly;
 * told nothing, it starts a pass that finds them.
 */
export class OutboxSignal {
  private readonly listeners = new Set<(written?: WrittenOutboxEvents) => void>();

  notify(written?: WrittenOutboxEvents): void {
    for (const listener of this.listeners) listener(written);
  }

  /** Calls `listener` at every `notify()` until the returned function is called. */
  listen(listener: (written?: WrittenOutboxEvents) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
