import { randomUUID } from 'node:crypto';
import type { OutboxStore } from '@platform/messaging';
import type { StoredProduct } from '../../src/products/products.repository.port';
import type { CommandContext } from '../../src/reservations/stock-command';

/** A sku no other test uses. */
export function aSku(prefix = 'SKU'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

export function anOrderId(): string {
  return `order-${randomUUID()}`;
}

export function aProduct(overrides: Partial<StoredProduct> = {}): StoredProduct {
  return {
    sku: aSku(),
    name: 'Green tea, 100 g',
    priceCents: 650,
    currency: 'EUR',
    initialStock: 10,
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
    outbox: [],
    ...overrides,
  };
}

export function aCommandContext(overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    commandId: randomUUID(),
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    correlationId: 'saga-1',
    ...overrides,
  };
}

/**
 * Every event waiting in an outbox, as `{ type, data }`, each aggregate's in the order written. An
 * aggregate offers only its oldest event at a time, so each is published (removed) to reach the next.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the event carried
export async function drainEvents(store: OutboxStore): Promise<{ type: string; data: any }[]> {
  const drained: { type: string; data: unknown }[] = [];
  for (;;) {
    const claimed = await store.claim({
      owner: `test-${randomUUID()}`,
      limit: 10_000,
      leaseMs: 60_000,
      now: new Date(),
    });
    if (claimed.length === 0) return drained;
    for (const one of claimed) {
      drained.push({ type: one.event.type, data: one.event.data });
      await store.markPublished(one, new Date());
    }
  }
}
