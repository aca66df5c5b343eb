import { ProductChanged } from '@platform/contracts';
import { type Subscription, handlerOf } from '@platform/messaging';
import type { ProductCache } from './product-cache.port';

/**
 * Every instance drops its cached view when any instance changed a product, so each instance
 * subscribes in a consumer group of its own (one group shares messages; each instance needs all),
 * from the latest offset: what changed before it started is not in its (empty) cache.
 */
export function invalidateCacheWhenProductChanged(groupId: string, cache: ProductCache): Subscription {
  return {
    groupId,
    startAt: 'latest',
    handlers: [handlerOf(ProductChanged, async (message) => cache.invalidate(message.data.sku))],
  };
}
