import type { StoredOutboxEvent } from './outbox-event';

/**
 * The outbox fields of a document inserted together with its events: `outbox`, and the marker
 * `outboxPending` while there are events. Spread them into the document.
 */
export function outboxFieldsOf(events: readonly StoredOutboxEvent[]): {
  outbox: StoredOutboxEvent[];
  outboxPending?: true;
} {
  return events.length > 0 ? { outbox: [...events], outboxPending: true } : { outbox: [] };
}

/**
 * `update` (a MongoDB update document) that also appends `events` to the document's outbox and
 * sets its marker, in the same single-document write as the state change. Unchanged without events.
 */
export function withOutboxAppended<U extends Record<string, unknown>>(
  update: U,
  events: readonly StoredOutboxEvent[],
): U {
  if (events.length === 0) return update;
  const push = (update['$push'] ?? {}) as Record<string, unknown>;
  const set = (update['$set'] ?? {}) as Record<string, unknown>;
  if ('outbox' in push || 'outbox' in set || 'outboxPending' in set)
    throw new Error('the update writes the outbox itself; withOutboxAppended appends the events');
  return {
    ...update,
    $push: { ...push, outbox: { $each: [...events] } },
    $set: { ...set, outboxPending: true },
  };
}
