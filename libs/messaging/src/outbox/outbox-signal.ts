/**
 * Says that a store's outbox was written: a repository calls `notify()` after each commit that
 * added events, and the relays of the store (in this process) start a pass at once instead of at
 * their next periodic one.
 */
export class OutboxSignal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` at every `notify()` until the returned function is called. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
