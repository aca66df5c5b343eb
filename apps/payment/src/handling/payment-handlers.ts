import { AuthorizePayment, RefundPayment } from '@platform/contracts';
import { type IncomingMessage, type MessageHandlerRegistration, handlerOf } from '@platform/messaging';
import type { EventOrigin } from '../domain/payment-events';
import type { AuthorizePaymentHandler } from './authorize-payment';
import type { RefundPaymentHandler } from './refund-payment';

/**
 * The payment commands. A handler that throws (the store is down, a refund not done yet) leaves
 * the command to the bus, which delivers it again through the retry topics.
 */
export function paymentHandlers(handlers: {
  authorize: AuthorizePaymentHandler;
  refund: RefundPaymentHandler;
}): MessageHandlerRegistration[] {
  return [
    handlerOf(AuthorizePayment, (message) => handlers.authorize.execute(message.data, originOf(message))),
    handlerOf(RefundPayment, (message) => handlers.refund.execute(message.data, originOf(message))),
  ];
}

function originOf(message: IncomingMessage<unknown>): EventOrigin {
  return {
    traceparent: message.traceparent ?? null,
    tracestate: message.tracestate ?? null,
    correlationId: message.correlationId ?? null,
  };
}
