import { AuthorizePayment, RefundPayment } from '@platform/contracts';
import { type IncomingMessage, type Subscription, handlerOf } from '@platform/messaging';
import type { AuthorizePaymentHandler } from './authorize/authorize-payment.handler';
import type { EventOrigin } from './domain/payment';
import type { RefundPaymentHandler } from './refund/refund-payment.handler';

/**
 * The payment commands. A handler that throws (the store is down) leaves the command to the bus,
 * which delivers it again through the retry topics; the provider failing is not a throw but a
 * stored outcome or a recorded, unsettled payment.
 */
export function paymentCommandsSubscription(
  groupId: string,
  startAt: 'earliest' | 'latest',
  handlers: { authorize: AuthorizePaymentHandler; refund: RefundPaymentHandler },
): Subscription {
  return {
    groupId,
    startAt,
    handlers: [
      handlerOf(AuthorizePayment, (message) => handlers.authorize.execute(message.data, originOf(message))),
      handlerOf(RefundPayment, (message) => handlers.refund.execute(message.data, originOf(message))),
    ],
  };
}

function originOf(message: IncomingMessage<unknown>): EventOrigin {
  return {
    traceparent: message.traceparent ?? null,
    tracestate: message.tracestate ?? null,
    correlationId: message.correlationId ?? null,
  };
}
