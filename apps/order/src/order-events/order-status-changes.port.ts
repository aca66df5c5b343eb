/**
 * Tells the open `/events` streams of this instance that an order changed, whichever instance
 * saved the change: each saved saga transition is published, and the streams that follow that
 * order read it again at once. A notification may be lost (the broadcast is best effort); the
 * streams' slow periodic read covers that.
 */
export interface OrderStatusChanges {
  /** Announces that the order's saga saved a new state. Never throws. */
  publish(orderId: string): void;
  /** Calls `listener` at each change of the order until the returned function is called. */
  subscribe(orderId: string, listener: () => void): () => void;
}

/** The listeners of this instance, by order id: what both adapters dispatch to. */
export class OrderStatusListeners {
  private readonly byOrder = new Map<string, Set<() => void>>();

  add(orderId: string, listener: () => void): () => void {
    const listeners = this.byOrder.get(orderId) ?? new Set<() => void>();
    listeners.add(listener);
    this.byOrder.set(orderId, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.byOrder.delete(orderId);
    };
  }

  notify(orderId: string): void {
    for (const listener of [...(this.byOrder.get(orderId) ?? [])]) listener();
  }
}

/** The embedded profile's: one process, so this instance's listeners are all there are. */
export class InMemoryOrderStatusChanges implements OrderStatusChanges {
  private readonly listeners = new OrderStatusListeners();

  publish(orderId: string): void {
    this.listeners.notify(orderId);
  }

  subscribe(orderId: string, listener: () => void): () => void {
    return this.listeners.add(orderId, listener);
  }
}
