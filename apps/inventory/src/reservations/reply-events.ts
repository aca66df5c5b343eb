import {
  type MessageDefinition,
  type PayloadOf,
  StockCommitted,
  StockRejected,
  StockReleased,
  StockReserved,
} from '@platform/contracts';
import { newOutboxEvent } from '@platform/messaging';
import type { Answer, Reservation } from './reservations.repository.port';
import type { CommandContext } from './stock-command';

/** The answer that states a reservation's decision: the first one, or the same one given again. */
export function decisionAnswerOf(reservation: Reservation, context: CommandContext, now: Date): Answer {
  const { orderId } = reservation;
  if (reservation.status === 'reserved')
    return answerOf(StockReserved, { orderId, items: reservation.items }, context, now);
  if (reservation.status === 'rejected' && reservation.rejection)
    return answerOf(
      StockRejected,
      { orderId, reason: reservation.rejection.reason, unavailable: reservation.rejection.unavailable },
      context,
      now,
    );
  return releasedAnswerOf(orderId, context, now);
}

export function committedAnswerOf(orderId: string, context: CommandContext, now: Date): Answer {
  return answerOf(StockCommitted, { orderId }, context, now);
}

export function releasedAnswerOf(orderId: string, context: CommandContext, now: Date): Answer {
  return answerOf(StockReleased, { orderId }, context, now);
}

/** The command's answer, its payload checked against the contract now, so a bad one fails the command. */
function answerOf<TDefinition extends MessageDefinition>(
  definition: TDefinition,
  data: PayloadOf<TDefinition>,
  context: CommandContext,
  now: Date,
): Answer {
  const { commandId, ...origin } = context;
  return {
    commandId,
    event: newOutboxEvent(definition.name, definition.schema.parse(data), { ...origin, now }),
  };
}
