import { newOutboxEvent } from '../src/outbox/new-outbox-event';
import { outboxFieldsOf, withOutboxAppended } from '../src/outbox/outbox-fields';

const now = new Date('2026-05-01T08:00:00.000Z');
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('writing outbox events', () => {
  it('when an event is built, then it is pending with a fresh id, its origin and no attempts', () => {
    const data = { orderId: 'order-1' };
    const event = newOutboxEvent('OrderPlaced', data, {
      now,
      traceparent,
      tracestate: 'vendor=1',
      correlationId: 'saga-1',
    });
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'OrderPlaced',
      occurredAt: now,
      data,
      traceparent,
      tracestate: 'vendor=1',
      correlationId: 'saga-1',
      state: 'pending',
      attempts: 0,
    });
    expect(newOutboxEvent('OrderPlaced', data, { now }).id).not.toBe(event.id);
  });

  it('when the origin has no trace or saga, then the event stores nulls for them', () => {
    expect(newOutboxEvent('OrderPlaced', {}, { now })).toMatchObject({
      traceparent: null,
      tracestate: null,
      correlationId: null,
    });
  });

  it('when a document is inserted with events, then it carries them and the marker; without events, neither', () => {
    const events = [newOutboxEvent('A', {}, { now }), newOutboxEvent('B', {}, { now })];
    expect(outboxFieldsOf(events)).toEqual({ outbox: events, outboxPending: true });
    expect(outboxFieldsOf([])).toEqual({ outbox: [] });
  });

  it('when events are appended to an update, then they are pushed and the marker set beside its own changes', () => {
    const events = [newOutboxEvent('A', {}, { now })];
    const update = { $set: { status: 'PAID' }, $inc: { version: 1 }, $push: { history: 'PAID' } };
    expect(withOutboxAppended(update, events)).toEqual({
      $set: { status: 'PAID', outboxPending: true },
      $inc: { version: 1 },
      $push: { history: 'PAID', outbox: { $each: events } },
    });
    expect(update).toEqual({ $set: { status: 'PAID' }, $inc: { version: 1 }, $push: { history: 'PAID' } });
  });

  it('when there are no events to append, then the update is unchanged', () => {
    const update = { $set: { status: 'PAID' } };
    expect(withOutboxAppended(update, [])).toBe(update);
  });

  it('when the update writes the outbox itself, then appending refuses it rather than drop events', () => {
    const events = [newOutboxEvent('A', {}, { now })];
    expect(() => withOutboxAppended({ $push: { outbox: events[0] } }, events)).toThrow(/writes the outbox/);
  });
});
