import { StockRejected, StockReleased, StockReserved } from '@platform/contracts';
import type { StoredOutboxEvent } from '@platform/messaging';
import { newOutboxEvent } from '../outbox/new-outbox-event';
import type { ReservationDecision } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/** The event that states a reservation decision: the first answer, or the same one given again. */
export function decisionEventOf(
  decision: ReservationDecision,
  context: CommandContext,
  now: Date,
): StoredOutboxEvent {
  const { orderId } = decision;
  if (decision.status === 'reserved')
    return newOutboxEvent(StockReserved, { orderId, items: decision.items }, context, now);
  if (decision.status === 'rejected' && decision.rejection)
    return newOutboxEvent(
      StockRejected,
      { orderId, reason: decision.rejection.reason, unavailable: decision.rejection.unavailable },
      context,
      now,
    );
  return newOutboxEvent(StockReleased, { orderId }, context, now);
}
