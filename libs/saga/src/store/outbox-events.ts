import { newOutboxEvent, type StoredOutboxEvent } from '@platform/messaging';
import type { OutgoingCommand } from '../domain/saga-definition';
import type { SaveContext } from './saga-store.port';

/** The commands of one transition as pending outbox events, correlated with their saga. */
export function toOutboxEvents(
  sagaId: string,
  commands: readonly OutgoingCommand[],
  context: SaveContext,
): StoredOutboxEvent[] {
  return commands.map((command) =>
    newOutboxEvent(command.type, command.data, { ...context, correlationId: sagaId }),
  );
}
