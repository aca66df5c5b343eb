import { randomUUID } from 'node:crypto';
import type { StoredOutboxEvent } from '../../src/outbox/outbox-event';

export function aPendingEvent(overrides: Partial<StoredOutboxEvent> = {}): StoredOutboxEvent {
  const id = randomUUID();
  return {
    id,
    type: 'UserRegistered',
    occurredAt: new Date('2026-01-01T00:00:00.000Z'),
    data: {
      userId: randomUUID(),
      email: `${id.slice(0, 8)}@example.com`,
      name: 'Ada',
      tags: ['a', 'b'],
      score: 1.5,
    },
    traceparent: `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
    state: 'pending',
    attempts: 0,
    ...overrides,
  };
}

export function anAggregateId(): string {
  return randomUUID();
}

export const at = (iso: string): Date => new Date(iso);

export function secondsAfter(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

/** The event apps/auth writes into a new user's document. */
export function aUserRegisteredEvent(
  userId: string,
  overrides: Partial<StoredOutboxEvent> = {},
): StoredOutboxEvent {
  return aPendingEvent({
    type: 'UserRegistered',
    data: { userId, email: 'ada@example.com', name: 'Ada' },
    ...overrides,
  });
}
