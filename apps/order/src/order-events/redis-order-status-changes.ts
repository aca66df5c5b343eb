import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type OrderStatusChanges, OrderStatusListeners } from './order-status-changes.port';

/**
 * Order changes broadcast over Redis pub/sub, so a stream open on one instance hears of a change
 * another instance saved. The saving instance notifies its own streams at once and skips its own
 * message when it comes back. Pub/sub delivers at most once and not while Redis is down; the
 * streams' periodic read covers that.
 */
export class RedisOrderStatusChanges implements OrderStatusChanges {
  private readonly logger = new Logger('RedisOrderStatusChanges');
  private readonly listeners = new OrderStatusListeners();
  /** Marks this instance's own messages. */
  private readonly instance = randomUUID();

  /**
   * @param publisher the service's Redis client
   * @param subscriber a connection of its own: a subscribed connection can do nothing else
   */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel = 'order:status-changed',
  ) {
    subscriber.on('message', (from: string, message: string) => {
      const [instance, orderId] = message.split(' ');
      if (from === this.channel && orderId && instance !== this.instance) this.listeners.notify(orderId);
    });
    // ioredis subscribes again after each reconnection; until Redis answers, the periodic read serves.
    subscriber.subscribe(channel).catch((error: unknown) => {
      this.logger.warn(
        `not subscribed to ${channel} (streams fall back to periodic reads): ${String(error)}`,
      );
    });
  }

  publish(orderId: string): void {
    this.listeners.notify(orderId);
    this.publisher.publish(this.channel, `${this.instance} ${orderId}`).catch(() => undefined);
  }

  subscribe(orderId: string, listener: () => void): () => void {
    return this.listeners.add(orderId, listener);
  }
}
