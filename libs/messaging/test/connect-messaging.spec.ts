import { randomUUID } from 'node:crypto';
import { UserRegistered } from '@platform/contracts';
import {
  connectMessaging,
  embeddedMessageBus,
  handlerOf,
  InMemoryOutboxStore,
  newOutboxEvent,
  outboxFieldsOf,
} from '../src';
import { eventually } from '@platform/testing';

const aUserRegistered = () => {
  const userId = randomUUID();
  return {
    id: randomUUID(),
    type: UserRegistered.type,
    topic: UserRegistered.topic,
    key: userId,
    data: { userId, email: 'ada@example.com', name: 'Ada' },
  };
};

describe('connectMessaging in the embedded profile', () => {
  it('when two services connect, then they share one bus: what one publishes the other receives', async () => {
    const producer = await connectMessaging({ service: 'auth', profile: 'embedded' });
    const consumer = await connectMessaging({ service: 'notification', profile: 'embedded' });
    const received: string[] = [];
    await consumer.bus.subscribe({
      groupId: `notification-${randomUUID()}`,
      handlers: [handlerOf(UserRegistered, async (message) => void received.push(message.id))],
    });
    const message = aUserRegistered();
    await producer.bus.publish({ ...message, source: 'auth' });
    await eventually(async () => {
      expect(received).toEqual([message.id]);
      return true;
    });
    expect(producer.readinessChecks).toEqual([]);
    await Promise.all([producer.close(), consumer.close()]);
  });

  it('when one service closes, then only its own subscriptions stop; the shared bus keeps serving the others', async () => {
    const leaving = await connectMessaging({ service: 'leaving', profile: 'embedded' });
    const staying = await connectMessaging({ service: 'staying', profile: 'embedded' });
    const byLeaving: string[] = [];
    const byStaying: string[] = [];
    await leaving.bus.subscribe({
      groupId: `leaving-${randomUUID()}`,
      handlers: [handlerOf(UserRegistered, async (message) => void byLeaving.push(message.id))],
    });
    await staying.bus.subscribe({
      groupId: `staying-${randomUUID()}`,
      handlers: [handlerOf(UserRegistered, async (message) => void byStaying.push(message.id))],
    });
    await leaving.close();
    const message = aUserRegistered();
    await embeddedMessageBus().publish({ ...message, source: 'test' });
    await eventually(async () => {
      expect(byStaying).toContain(message.id);
      return true;
    });
    expect(byLeaving).not.toContain(message.id);
    await staying.close();
  });

  it('when an outbox relay is started, then an event is published as soon as the store signals its commit, with the service as its source, and close() stops the relay', async () => {
    const connection = await connectMessaging({ service: 'auth', profile: 'embedded' });
    const store = new InMemoryOutboxStore();
    const userId = randomUUID();
    const sources: string[] = [];
    await connection.bus.subscribe({
      groupId: `relay-${randomUUID()}`,
      handlers: [
        handlerOf(UserRegistered, async (message) => {
          // The embedded bus is shared: earlier tests' messages are on the topic too.
          if (message.key === userId) sources.push(message.source);
        }),
      ],
    });
    const passes = jest.spyOn(store, 'claim');
    connection.startOutboxRelay(store, { pollIntervalMs: 3_600_000 });
    // The first pass finds nothing; after it, the relay would sleep for an hour but for the signal.
    await eventually(async () => passes.mock.results[0]?.value as Promise<unknown> | undefined, 5000, 5);
    await new Promise((resolve) => setImmediate(resolve));
    const event = newOutboxEvent(
      'UserRegistered',
      { userId, email: 'ada@example.com', name: 'Ada' },
      { now: new Date() },
    );
    store.documents.set(userId, outboxFieldsOf([event]));
    store.written.notify();
    await eventually(async () => {
      expect(sources).toEqual(['auth']);
      return true;
    });
    await connection.close();
  });

  it('when the profile is not embedded and no brokers are given, then it refuses to start, naming the variable', async () => {
    await expect(connectMessaging({ service: 'inventory', profile: 'local' })).rejects.toThrow(
      'KAFKA_BROKERS is required',
    );
  });
});
