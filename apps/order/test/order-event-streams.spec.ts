import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '@platform/auth';
import type { OrderView } from '../src/domain/order-view';
import type { GetOrder } from '../src/get-order/get-order';
import { OrderEventStreams } from '../src/order-events/order-event-streams';
import {
  InMemoryOrderStatusChanges,
  type OrderStatusChanges,
} from '../src/order-events/order-status-changes.port';

const hour = 3_600_000;
const alice = { userId: 'alice', roles: ['customer'] } as unknown as AuthenticatedUser;

/** The order as the store has it now; the test moves it on. */
class OrderInStore {
  view: OrderView = {
    orderId: 'order-1',
    status: 'PENDING',
    items: [],
    totalCents: 1300,
    currency: 'EUR',
    createdAt: '2026-05-01T10:00:00.000Z',
    updatedAt: '2026-05-01T10:00:00.000Z',
    history: [{ status: 'PENDING', at: '2026-05-01T10:00:00.000Z' }],
  };
  reads = 0;

  confirm(): void {
    this.view = {
      ...this.view,
      status: 'CONFIRMED',
      history: [...this.view.history, { status: 'CONFIRMED', at: '2026-05-01T10:00:01.000Z' }],
    };
  }

  asGetOrder(): GetOrder {
    return {
      execute: async () => {
        this.reads += 1;
        return structuredClone(this.view);
      },
    } as unknown as GetOrder;
  }
}

/** Just enough of Express's response for a stream: what was written, and whether it ended. */
class RecordedResponse extends EventEmitter {
  written = '';
  readonly ended: Promise<void>;
  private finish!: () => void;

  constructor() {
    super();
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  status(): this {
    return this;
  }
  set(): this {
    return this;
  }
  flushHeaders(): void {
    this.emit('headers');
  }
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
  end(): void {
    this.finish();
  }
}

async function openStream(streams: OrderEventStreams): Promise<RecordedResponse> {
  const response = new RecordedResponse();
  await streams.stream('order-1', alice, { headers: {} } as Request, response as unknown as Response);
  return response;
}

const statuses = (response: RecordedResponse) =>
  [...response.written.matchAll(/"status":"(\w+)"/g)].map((match) => match[1]);

describe('OrderEventStreams', () => {
  it('when a change is announced, then the stream reads the order and sends it at once, without waiting for its periodic read', async () => {
    const store = new OrderInStore();
    const changes = new InMemoryOrderStatusChanges();
    const response = await openStream(
      new OrderEventStreams(store.asGetOrder(), changes, {
        pollMs: hour,
        heartbeatMs: hour,
        maxStreamsPerUser: 10,
      }),
    );
    store.confirm();
    changes.publish('order-1');
    await response.ended;
    expect(statuses(response)).toEqual(['PENDING', 'CONFIRMED']);
  });

  it('when announcements are lost, then the periodic read still delivers the change', async () => {
    const store = new OrderInStore();
    const deaf: OrderStatusChanges = { publish: () => undefined, subscribe: () => () => undefined };
    const response = await openStream(
      new OrderEventStreams(store.asGetOrder(), deaf, {
        pollMs: 10,
        heartbeatMs: hour,
        maxStreamsPerUser: 10,
      }),
    );
    store.confirm();
    await response.ended;
    expect(statuses(response)).toEqual(['PENDING', 'CONFIRMED']);
  });

  it('when the stream has ended, then it no longer listens for the order', async () => {
    const store = new OrderInStore();
    const changes = new InMemoryOrderStatusChanges();
    const response = await openStream(
      new OrderEventStreams(store.asGetOrder(), changes, {
        pollMs: hour,
        heartbeatMs: hour,
        maxStreamsPerUser: 10,
      }),
    );
    response.emit('close');
    await response.ended;
    const readsWhenClosed = store.reads;
    changes.publish('order-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.reads).toBe(readsWhenClosed);
  });
});
