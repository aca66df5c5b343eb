import {
  AuthorizePayment,
  CommitStock,
  PaymentAuthorized,
  PaymentDeclined,
  RefundPayment,
  ReleaseStock,
  ReserveStock,
  StockCommitted,
  StockReleased,
  StockReserved,
  type MessageDefinition,
} from '@platform/contracts';
import {
  handlerOf,
  type IncomingMessage,
  type MessageBus,
  type RunningSubscription,
} from '@platform/messaging';

export type PaymentBehaviour = 'approve' | 'decline' | 'silent';

/** Inventory and payment as the saga sees them: they answer its commands and record what they got. */
export class FakeParticipants {
  readonly received: string[] = [];
  readonly refunds: unknown[] = [];
  payment: PaymentBehaviour = 'approve';
  private running: RunningSubscription[] = [];

  constructor(private readonly bus: MessageBus) {}

  async start(): Promise<void> {
    const reply = (definition: MessageDefinition, message: IncomingMessage, data: Record<string, unknown>) =>
      this.bus.publish({
        topic: definition.topic,
        type: definition.type,
        key: message.key,
        data,
        source: 'fake-participant',
        ...(message.correlationId ? { correlationId: message.correlationId } : {}),
      });
    const record = (name: string) => this.received.push(name);
    this.running.push(
      await this.bus.subscribe({
        groupId: 'fake-inventory',
        handlers: [
          handlerOf(ReserveStock, async (message) => {
            record('ReserveStock');
            await reply(StockReserved, message, { orderId: message.data.orderId, items: message.data.items });
          }),
          handlerOf(ReleaseStock, async (message) => {
            record('ReleaseStock');
            await reply(StockReleased, message, { orderId: message.data.orderId });
          }),
          handlerOf(CommitStock, async (message) => {
            record('CommitStock');
            await reply(StockCommitted, message, { orderId: message.data.orderId });
          }),
        ],
      }),
      await this.bus.subscribe({
        groupId: 'fake-payment',
        handlers: [
          handlerOf(AuthorizePayment, async (message) => {
            record('AuthorizePayment');
            const { orderId, amountCents, currency } = message.data;
            if (this.payment === 'approve')
              await reply(PaymentAuthorized, message, {
                orderId,
                paymentId: `pay-${orderId}`,
                amountCents,
                currency,
              });
            if (this.payment === 'decline')
              await reply(PaymentDeclined, message, { orderId, reason: 'CARD_DECLINED' });
          }),
          handlerOf(RefundPayment, async (message) => {
            record('RefundPayment');
            this.refunds.push(message.data);
          }),
        ],
      }),
    );
  }

  /** The payment that was silent answers now, late. */
  async authorizeLate(orderId: string): Promise<void> {
    await this.bus.publish({
      topic: PaymentAuthorized.topic,
      type: PaymentAuthorized.type,
      key: orderId,
      data: { orderId, paymentId: `pay-${orderId}`, amountCents: 1500, currency: 'EUR' },
      source: 'fake-participant',
      correlationId: orderId,
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((subscription) => subscription.stop()));
  }
}
