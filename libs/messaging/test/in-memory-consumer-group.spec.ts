import { randomUUID } from 'node:crypto';
import { UserRegistered } from '@platform/contracts';
import { eventually } from '@platform/testing';
import { handlerOf, InMemoryMessageBus, InvalidMessageError } from '../src';

const userRegistered = (userId: string) => ({
  topic: 'users.events.v1',
  type: UserRegistered.type,
  key: userId,
  data: { userId, email: 'ada@example.com', name: 'Ada' },
  source: 'auth',
});

describe('the in-memory bus beyond the shared contract', () => {
  it('when two members share a group, then they split the partitions and each message is handled once', async () => {
    const bus = new InMemoryMessageBus({ partitions: 3 });
    const handledBy: Record<string, string[]> = { first: [], second: [] };
    const member = (name: string) =>
      bus.subscribe({
        groupId: 'notification',
        handlers: [handlerOf(UserRegistered, async (message) => void handledBy[name]!.push(message.key))],
      });
    const members = [await member('first'), await member('second')];
    const keys = Array.from({ length: 30 }, () => randomUUID());

    for (const key of keys) await bus.publish(userRegistered(key));

    await eventually(
      async () =>
        handledBy['first']!.length + handledBy['second']!.length === keys.length ? true : undefined,
      2000,
      5,
    );
    expect([...handledBy['first']!, ...handledBy['second']!].sort()).toEqual([...keys].sort());
    expect(handledBy['first']!.length).toBeGreaterThan(0);
    expect(handledBy['second']!.length).toBeGreaterThan(0);
    await Promise.all(members.map((running) => running.stop()));
  });

  it('when a message breaks its schema on publish, then it throws and nothing is stored', async () => {
    const bus = new InMemoryMessageBus();

    await expect(bus.publish({ ...userRegistered(randomUUID()), data: { userId: 'x' } })).rejects.toThrow(
      InvalidMessageError,
    );
    expect(bus.recordsOf('users.events.v1')).toEqual([]);
  });

  it('when a subscriber stops during a handler, then stop waits for it and commits it', async () => {
    const bus = new InMemoryMessageBus();
    let release: () => void = () => undefined;
    const started: string[] = [];
    const running = await bus.subscribe({
      groupId: 'notification',
      handlers: [
        handlerOf(UserRegistered, async (message) => {
          started.push(message.key);
          await new Promise<void>((resolve) => (release = resolve));
        }),
      ],
    });
    const key = randomUUID();
    await bus.publish(userRegistered(key));
    await eventually(async () => (started.length === 1 ? true : undefined), 2000, 5);

    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;

    const again: string[] = [];
    const next = await bus.subscribe({
      groupId: 'notification',
      handlers: [handlerOf(UserRegistered, async (message) => void again.push(message.key))],
    });
    const later = randomUUID();
    await bus.publish(userRegistered(later));
    await eventually(async () => (again.length > 0 ? true : undefined), 2000, 5);
    expect(again).toEqual([later]);
    await next.stop();
  });
});
