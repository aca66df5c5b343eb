import { randomUUID } from 'node:crypto';
import { PaymentAuthorized, PaymentDeclined, PaymentFailed, PaymentRefunded } from '@platform/contracts';
import {
  handlerOf,
  type IncomingMessage,
  type MessageBus,
  type RunningSubscription,
} from '@platform/messaging';
import { eventually } from '@platform/testing';

export interface PaymentEventLog {
  /** Every payment event received for the order, in order of arrival. */
  of(orderId: string): IncomingMessage[];
  /** Waits for the order's `count`-th event and returns the order's events. */
  waitFor(orderId: string, count: number, timeoutMs?: number): Promise<IncomingMessage[]>;
  stop(): Promise<void>;
}

/** Listens to payments.events in a consumer group of its own, from now on, as the order saga would. */
export async function listenToPaymentEvents(bus: MessageBus): Promise<PaymentEventLog> {
  const received: IncomingMessage[] = [];
  const record = async (message: IncomingMessage) => {
    received.push(message);
  };
  const subscription: RunningSubscription = await bus.subscribe({
    groupId: `payment-events-${randomUUID()}`,
    startAt: 'latest',
    handlers: [PaymentAuthorized, PaymentDeclined, PaymentFailed, PaymentRefunded].map((definition) =>
      handlerOf(definition, record),
    ),
  });
  const of = (orderId: string) =>
    received.filter((message) => (message.data as { orderId?: string }).orderId === orderId);
  return {
    of,
    waitFor: (orderId, count, timeoutMs = 10_000) =>
      eventually(async () => (of(orderId).length >= count ? of(orderId) : undefined), timeoutMs, 20),
    stop: () => subscription.stop(),
  };
}
