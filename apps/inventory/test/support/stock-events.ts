import { randomUUID } from 'node:crypto';
import { CommitStock, ReleaseStock, ReserveStock, findMessageByName, topics } from '@platform/contracts';
import type { IncomingMessage, MessageBus, RunningSubscription } from '@platform/messaging';

export interface ReceivedEvent {
  id: string;
  type: string;
  key: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the event carried
}

const eventTypes = [
  'StockReserved',
  'StockRejected',
  'StockCommitted',
  'StockReleased',
  'ProductChanged',
] as const;

/** A test consumer of inventory.events.v1 in a group of its own, recording every event by short name. */
export async function recordInventoryEvents(bus: MessageBus, groupId = `inventory-test-${randomUUID()}`) {
  const received: ReceivedEvent[] = [];
  const subscription: RunningSubscription = await bus.subscribe({
    groupId,
    // Only what the test causes: other runs' events stay on the shared broker.
    startAt: 'latest',
    handlers: eventTypes.map((name) => {
      const definition = findMessageByName(name);
      if (!definition) throw new Error(`unknown message ${name}`);
      return {
        topic: topics.inventoryEvents,
        type: definition.type,
        handle: async (message: IncomingMessage) => {
          received.push({ id: message.id, type: name, key: message.key, data: message.data });
        },
      };
    }),
  });
  return {
    received,
    /** The order's events, in the order received. */
    of: (orderId: string) => received.filter((event) => event.data?.orderId === orderId),
    stop: () => subscription.stop(),
  };
}

/** Publishes stock commands as the order service's saga does. */
export function stockCommandsOn(bus: MessageBus) {
  const send = (
    definition: typeof ReserveStock | typeof CommitStock | typeof ReleaseStock,
    data: { orderId: string },
    id: string = randomUUID(),
  ) =>
    bus.publish({
      topic: definition.topic,
      type: definition.type,
      key: data.orderId,
      data,
      id,
      source: 'order',
      correlationId: data.orderId,
    });
  return {
    reserve: (orderId: string, items: { sku: string; quantity: number }[], id?: string) =>
      send(ReserveStock, { orderId, items } as never, id),
    commit: (orderId: string, id?: string) => send(CommitStock, { orderId }, id),
    release: (orderId: string, id?: string) => send(ReleaseStock, { orderId }, id),
  };
}
