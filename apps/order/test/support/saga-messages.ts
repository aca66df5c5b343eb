import { randomUUID } from 'node:crypto';
import {
  AuthorizePayment,
  CommitStock,
  OrderCancelled,
  OrderConfirmed,
  OrderPlaced,
  PaymentAuthorized,
  PaymentDeclined,
  PaymentFailed,
  RefundPayment,
  ReleaseStock,
  ReserveStock,
  StockCommitted,
  StockRejected,
  StockReleased,
  StockReserved,
  type MessageDefinition,
} from '@platform/contracts';
import type { IncomingMessage, MessageBus, RunningSubscription } from '@platform/messaging';
import { eventually } from '@platform/testing';

/** What the order service sends: its saga's commands and its own events. */
const sentByOrder = [
  ReserveStock,
  CommitStock,
  ReleaseStock,
  AuthorizePayment,
  RefundPayment,
  OrderPlaced,
  OrderConfirmed,
  OrderCancelled,
];

export interface SentMessage {
  /** The short name, e.g. ReserveStock. */
  name: string;
  id: string;
  key: string;
  correlationId: string | undefined;
  traceparent: string | undefined;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the message carried
}

/**
 * Inventory and payment played by the test: it records every command and event the order service
 * publishes, and sends the participants' replies by hand, one at a time.
 */
export class SagaMessages {
  readonly sent: SentMessage[] = [];
  private subscription: RunningSubscription | undefined;

  constructor(
    private readonly bus: MessageBus,
    private readonly groupId = `order-test-recorder-${randomUUID()}`,
  ) {}

  async start(): Promise<this> {
    this.subscription = await this.bus.subscribe({
      groupId: this.groupId,
      // Only what happens from now on: a broker shared with other runs holds their history.
      startAt: 'latest',
      handlers: sentByOrder.map((definition) => ({
        topic: definition.topic,
        type: definition.type,
        handle: async (message: IncomingMessage) => {
          this.sent.push({
            name: definition.name,
            id: message.id,
            key: message.key,
            correlationId: message.correlationId,
            traceparent: message.traceparent,
            data: message.data,
          });
        },
      })),
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  /** The names of what the order service sent for the order, in order of arrival. */
  namesFor(orderId: string): string[] {
    return this.for(orderId).map((message) => message.name);
  }

  for(orderId: string): SentMessage[] {
    return this.sent.filter((message) => message.key === orderId);
  }

  /** Waits until the order service sent `name` for the order `count` times; resolves the last one. */
  async waitFor(orderId: string, name: string, count = 1, timeoutMs = 15_000): Promise<SentMessage> {
    return eventually(
      async () => {
        const matching = this.for(orderId).filter((message) => message.name === name);
        return matching.length >= count ? matching.at(-1) : undefined;
      },
      timeoutMs,
      10,
    );
  }

  stockReserved(orderId: string, items = [{ sku: 'TEA-GREEN', quantity: 2 }], id?: string) {
    return this.reply(StockReserved, { orderId, items }, id);
  }

  stockRejected(orderId: string, sku = 'TEA-GREEN') {
    return this.reply(StockRejected, {
      orderId,
      reason: 'OUT_OF_STOCK',
      unavailable: [{ sku, requested: 2, available: 0 }],
    });
  }

  stockCommitted(orderId: string) {
    return this.reply(StockCommitted, { orderId });
  }

  stockReleased(orderId: string) {
    return this.reply(StockReleased, { orderId });
  }

  paymentAuthorized(orderId: string, paymentId = `pay-${orderId}`, id?: string, amountCents = 1300) {
    return this.reply(PaymentAuthorized, { orderId, paymentId, amountCents, currency: 'EUR' }, id);
  }

  paymentDeclined(orderId: string) {
    return this.reply(PaymentDeclined, { orderId, reason: 'CARD_DECLINED' });
  }

  paymentFailed(orderId: string) {
    return this.reply(PaymentFailed, { orderId, reason: 'PROVIDER_UNAVAILABLE' });
  }

  /** A participant's reply, correlated with the saga as the participants do. */
  private async reply(
    definition: MessageDefinition,
    data: { orderId: string; [field: string]: unknown },
    id: string = randomUUID(),
  ) {
    await this.bus.publish({
      topic: definition.topic,
      type: definition.type,
      key: data.orderId,
      data,
      id,
      source: 'order-test',
      correlationId: data.orderId,
    });
  }
}
