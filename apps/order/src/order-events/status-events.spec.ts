import type { OrderView } from '../domain/order-view';
import { frameOf, lastEventIdOf, statusEventsAfter } from './status-events';

const view = (statuses: string[], failureReason?: string): OrderView =>
  ({
    orderId: 'order-1',
    status: statuses.at(-1),
    items: [],
    totalCents: 0,
    currency: 'EUR',
    ...(failureReason && { failureReason }),
    createdAt: 'T0',
    updatedAt: 'T9',
    history: statuses.map((status, index) => ({ status, at: `T${index}` })),
  }) as OrderView;

describe('the status events of an order stream', () => {
  it('when nothing was sent yet, then only the current status is sent, with its history index as id', () => {
    expect(statusEventsAfter(view(['PENDING', 'CONFIRMED']), undefined)).toEqual([
      { id: 1, data: { orderId: 'order-1', status: 'CONFIRMED', at: 'T1' } },
    ]);
  });

  it('when some were sent, then each later change is sent once, in order', () => {
    expect(statusEventsAfter(view(['PENDING', 'CANCELLED'], 'TIMEOUT'), 0)).toEqual([
      { id: 1, data: { orderId: 'order-1', status: 'CANCELLED', failureReason: 'TIMEOUT', at: 'T1' } },
    ]);
    expect(statusEventsAfter(view(['PENDING', 'CANCELLED'], 'TIMEOUT'), 1)).toEqual([]);
  });

  it('when a status is not a failure, then its event has no failure reason', () => {
    expect(statusEventsAfter(view(['PENDING']), undefined)[0]?.data).not.toHaveProperty('failureReason');
  });

  it.each([
    ['absent', undefined, undefined],
    ['a valid index', '1', 1],
    ['past the history', '2', undefined],
    ['negative', '-1', undefined],
    ['not a number', 'abc', undefined],
    ['sent twice', ['0', '1'], undefined],
  ])('when Last-Event-ID is %s, then the stream resumes after %p', (_case, header, expected) => {
    expect(lastEventIdOf(header, 2)).toBe(expected);
  });

  it('when framed, then an event is id, event and one data line, ended by a blank line', () => {
    expect(frameOf({ id: 3, data: { orderId: 'o', status: 'PENDING', at: 'T' } })).toBe(
      'id: 3\nevent: status\ndata: {"orderId":"o","status":"PENDING","at":"T"}\n\n',
    );
  });
});
