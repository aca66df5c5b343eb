import { randomUUID } from 'node:crypto';
import {
  PaymentAuthorized,
  PaymentDeclined,
  PaymentFailed,
  PaymentRefunded,
  type MessageDefinition,
  type PayloadOf,
} from '@platform/contracts';
import type { StoredOutboxEvent } from '@platform/messaging';
import type { Payment } from './payment';

/** The command an event answers: its trace and saga go with the event. */
export interface EventOrigin {
  traceparent: string | null;
  tracestate: string | null;
  correlationId: string | null;
}

function eventOf<TDefinition extends MessageDefinition>(
  definition: TDefinition,
  data: PayloadOf<TDefinition>,
  origin: EventOrigin,
  now: Date,
): StoredOutboxEvent {
  return {
    // Each emission its own id, as the outbox requires; consumers take a repeated outcome as a duplicate by its content.
    id: randomUUID(),
    type: definition.name,
    occurredAt: now,
    // Checked now, so a bad payload fails the handler rather than the relay.
    data: definition.schema.parse(data),
    ...origin,
    state: 'pending',
    attempts: 0,
  };
}

const withDetail = (detail: string | null) => (detail === null ? {} : { detail });

/**
 * The event that announces a decided payment's outcome; a redelivered command emits it again (the
 * first emission may have been lost in a crash). None for a pending payment, nor for a refunded
 * one (the saga has moved past the authorization).
 */
export function outcomeEventOf(
  payment: Payment,
  origin: EventOrigin,
  now: Date,
): StoredOutboxEvent | undefined {
  const { orderId } = payment;
  switch (payment.status) {
    case 'AUTHORIZED':
      return eventOf(
        PaymentAuthorized,
        {
          orderId,
          paymentId: payment.paymentId,
          amountCents: payment.amountCents,
          currency: payment.currency,
        },
        origin,
        now,
      );
    case 'DECLINED':
      return eventOf(
        PaymentDeclined,
        { orderId, reason: payment.reason as PaymentDeclined['reason'], ...withDetail(payment.detail) },
        origin,
        now,
      );
    case 'FAILED':
      return eventOf(
        PaymentFailed,
        { orderId, reason: payment.reason as PaymentFailed['reason'], ...withDetail(payment.detail) },
        origin,
        now,
      );
    default:
      return undefined;
  }
}

/** PaymentRefunded of a refunded payment. */
export function refundEventOf(
  payment: Payment,
  origin: EventOrigin,
  now: Date,
): StoredOutboxEvent | undefined {
  if (payment.status !== 'REFUNDED') return undefined;
  return eventOf(
    PaymentRefunded,
    {
      orderId: payment.orderId,
      paymentId: payment.paymentId,
      amountCents: payment.amountCents,
      currency: payment.currency,
    },
    origin,
    now,
  );
}
