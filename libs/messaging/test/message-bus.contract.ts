import { randomUUID } from 'node:crypto';
import { UserRegistered } from '@platform/contracts';
import { eventually } from '@platform/testing';
import {
  deadLetterHeaders,
  handlerOf,
  toKafkaMessage,
  type ConsumedRecord,
  type IncomingMessage,
  type MessageBus,
  type RunningSubscription,
  type WireRecord,
} from '../src';

/** One adapter of the bus port, on a fresh topic that carries the messages of users.events.v1. */
export interface MessageBusHarness {
  bus: MessageBus;
  topic: string;
  /** Produces a record as it is, bypassing every check: what a foreign or broken producer does. */
  publishRaw(record: WireRecord): Promise<void>;
  /** What the topic's DLQ holds so far. */
  deadLetters(): Promise<ConsumedRecord[]>;
  /** The bus's retry policy's `maxAttempts`: tries in all before a failing message is parked in the DLQ. */
  maxAttempts: number;
  close(): Promise<void>;
}

type UserRegisteredMessage = IncomingMessage<UserRegistered>;

/** The one suite every adapter of the bus port passes: the in-memory one and kafkajs against a real broker. */
export function describeMessageBusContract(
  adapter: string,
  createHarness: () => Promise<MessageBusHarness>,
  waitMs: number,
): void {
  describe(`the message bus contract (${adapter})`, () => {
    let harness: MessageBusHarness;
    const subscriptions: RunningSubscription[] = [];
    const until = <T>(condition: () => Promise<T | undefined>) => eventually(condition, waitMs, 20);

    beforeEach(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await harness.close();
    });

    const userRegistered = (userId: string, name = 'Ada') => ({
      topic: harness.topic,
      type: UserRegistered.type,
      key: userId,
      data: { userId, email: `${name.toLowerCase()}@example.com`, name },
      source: 'auth',
      correlationId: `saga-${userId}`,
    });

    async function subscribe(
      groupId: string,
      handle: (message: UserRegisteredMessage) => Promise<void>,
    ): Promise<void> {
      subscriptions.push(
        await harness.bus.subscribe({
          groupId,
          handlers: [handlerOf(UserRegistered, handle, harness.topic)],
        }),
      );
    }

    const group = (name: string) => `${name}-${randomUUID()}`;

    it('when a new group starts at the latest offset, then it receives only what is published after it joined', async () => {
      const before = randomUUID();
      const after = randomUUID();
      const received: string[] = [];
      await harness.bus.publish(userRegistered(before));
      // A group from the earliest offset sees the earlier message, so it is on the topic already.
      await subscribe(group('witness'), async (message) => void received.push(`witness:${message.key}`));
      await until(async () => (received.includes(`witness:${before}`) ? true : undefined));
      subscriptions.push(
        await harness.bus.subscribe({
          groupId: group('cache'),
          startAt: 'latest',
          handlers: [
            handlerOf(
              UserRegistered,
              async (message) => void received.push(`latest:${message.key}`),
              harness.topic,
            ),
          ],
        }),
      );
      await harness.bus.publish(userRegistered(after));
      await until(async () => (received.includes(`latest:${after}`) ? true : undefined));
      expect(received).not.toContain(`latest:${before}`);
    });

    it('when a message is published, then a subscriber receives it with its envelope', async () => {
      const received: UserRegisteredMessage[] = [];
      await subscribe(group('notification'), async (message) => void received.push(message));
      const userId = randomUUID();

      await harness.bus.publish({ ...userRegistered(userId), id: 'event-1' });

      const [message] = await until(async () => (received.length > 0 ? received : undefined));
      expect(message).toMatchObject({
        topic: harness.topic,
        key: userId,
        subject: userId,
        id: 'event-1',
        type: 'platform.users.user-registered.v1',
        source: 'auth',
        correlationId: `saga-${userId}`,
        data: { userId, email: 'ada@example.com', name: 'Ada' },
      });
    });

    it('when one key gets many messages, then they are handled in the order they were published', async () => {
      const handledByKey = new Map<string, string[]>();
      await subscribe(group('order'), async (message) => {
        handledByKey.set(message.key, [...(handledByKey.get(message.key) ?? []), message.data.name]);
      });
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      const names = Array.from({ length: 8 }, (_, index) => `Name${index}`);

      for (const name of names) for (const key of keys) await harness.bus.publish(userRegistered(key, name));

      await until(async () =>
        keys.every((key) => handledByKey.get(key)?.length === names.length) ? true : undefined,
      );
      for (const key of keys) expect(handledByKey.get(key)).toEqual(names);
    });

    it('when two groups subscribe, then each receives every message', async () => {
      const first: string[] = [];
      const second: string[] = [];
      await subscribe(group('notification'), async (message) => void first.push(message.key));
      await subscribe(group('analytics'), async (message) => void second.push(message.key));
      const keys = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

      for (const key of keys) await harness.bus.publish(userRegistered(key));

      await until(async () =>
        first.length === keys.length && second.length === keys.length ? true : undefined,
      );
      expect(first.sort()).toEqual([...keys].sort());
      expect(second.sort()).toEqual([...keys].sort());
    });

    it('when a message cannot be parsed or breaks its schema, then it lands in the DLQ with the reason and the next message is still handled', async () => {
      const handled: string[] = [];
      await subscribe(group('notification'), async (message) => void handled.push(message.data.name));
      const userId = randomUUID();
      const valid = toKafkaMessage(userRegistered(userId));

      await harness.publishRaw({ ...valid, value: Buffer.from('{"userId": not json') });
      await harness.publishRaw({
        ...valid,
        value: Buffer.from(JSON.stringify({ userId, email: 'not-an-email', name: 'Ada' })),
      });
      await harness.bus.publish(userRegistered(userId, 'Grace'));

      await until(async () => (handled.length > 0 ? true : undefined));
      expect(handled).toEqual(['Grace']);
      const deadLetters = await until(async () => {
        const records = await harness.deadLetters();
        return records.length === 2 ? records : undefined;
      });
      const reasons = deadLetters.map((record) => record.headers[deadLetterHeaders.reason]).sort();
      expect(reasons[0]).toMatch(/breaks its schema: email/);
      expect(reasons[1]).toMatch(/not JSON/);
      for (const record of deadLetters) {
        expect(record.key).toBe(userId);
        expect(record.headers).toMatchObject({
          [deadLetterHeaders.originalTopic]: harness.topic,
          ce_type: UserRegistered.type,
        });
        expect(record.headers[deadLetterHeaders.originalOffset]).toMatch(/^\d+$/);
        expect(record.headers[deadLetterHeaders.originalPartition]).toMatch(/^\d+$/);
      }
    });

    it('when a handler fails twice and then succeeds, then it is handled once and a later message on its partition is not held up behind it', async () => {
      const userId = randomUUID();
      // Both wait in the partition before anyone reads it: the later one is right behind the failing one.
      await harness.bus.publish(userRegistered(userId, 'Ada'));
      await harness.bus.publish(userRegistered(userId, 'Grace'));
      const events: string[] = [];
      const adaSeenAt: string[] = [];
      let failuresLeft = 2;
      await subscribe(group('notification'), async (message) => {
        if (message.data.name === 'Ada') {
          adaSeenAt.push(`${message.topic}/${message.partition}/${message.offset}`);
          if (failuresLeft > 0) {
            failuresLeft -= 1;
            events.push('Ada failed');
            throw new Error('store unavailable');
          }
        }
        events.push(`${message.data.name} handled`);
      });
      const otherGroup: string[] = [];
      await subscribe(group('analytics'), async (message) => void otherGroup.push(message.data.name));

      await until(async () => (events.includes('Ada handled') && otherGroup.length >= 2 ? true : undefined));
      expect(events.filter((event) => event === 'Ada handled')).toHaveLength(1);
      expect(events.filter((event) => event === 'Ada failed')).toHaveLength(2);
      expect(events[0]).toBe('Ada failed');
      expect(events.indexOf('Grace handled')).toBeGreaterThan(0);
      expect(events.indexOf('Grace handled')).toBeLessThan(events.indexOf('Ada handled'));
      // Every try sees the message where it was published, not where its retry waited.
      expect(new Set(adaSeenAt).size).toBe(1);
      expect(adaSeenAt[0]).toMatch(new RegExp(`^${escapeRegExp(harness.topic)}/\\d+/\\d+$`));
      // Another group, which did not fail, does not get the retries of this one.
      expect(otherGroup.sort()).toEqual(['Ada', 'Grace']);
    });

    it('when a handler always fails, then after its last try the message lands in the DLQ with the attempt count and the last error', async () => {
      let tries = 0;
      const firstSeenAt: { partition: number; offset: string }[] = [];
      const handled: string[] = [];
      await subscribe(group('notification'), async (message) => {
        if (message.data.name !== 'Ada') return void handled.push(message.data.name);
        tries += 1;
        if (tries === 1) firstSeenAt.push({ partition: message.partition, offset: message.offset });
        throw new Error(`store unavailable (try ${tries})`);
      });
      const userId = randomUUID();

      await harness.bus.publish(userRegistered(userId, 'Ada'));
      await harness.bus.publish(userRegistered(userId, 'Grace'));

      const deadLetters = await until(async () => {
        const records = await harness.deadLetters();
        return records.length > 0 && handled.length > 0 ? records : undefined;
      });
      expect(deadLetters).toHaveLength(1);
      expect(firstSeenAt).toHaveLength(1);
      const [deadLetter] = deadLetters as [ConsumedRecord];
      const [first] = firstSeenAt as [{ partition: number; offset: string }];
      expect(tries).toBe(harness.maxAttempts);
      expect(handled).toEqual(['Grace']);
      expect(deadLetter.key).toBe(userId);
      expect(JSON.parse(String(deadLetter.value))).toMatchObject({ userId, name: 'Ada' });
      expect(deadLetter.headers).toMatchObject({
        ce_type: UserRegistered.type,
        [deadLetterHeaders.attempts]: String(harness.maxAttempts),
        [deadLetterHeaders.originalTopic]: harness.topic,
        [deadLetterHeaders.originalPartition]: String(first.partition),
        [deadLetterHeaders.originalOffset]: first.offset,
      });
      expect(deadLetter.headers[deadLetterHeaders.reason]).toContain(
        `store unavailable (try ${harness.maxAttempts})`,
      );
      expect(Object.keys(deadLetter.headers).filter((name) => name.startsWith('retry-'))).toEqual([]);
    });

    it('when a subscriber stops, then what it handled is committed and a new member of its group goes on from there', async () => {
      const groupId = group('notification');
      const beforeStop: string[] = [];
      const first = await harness.bus.subscribe({
        groupId,
        handlers: [
          handlerOf(UserRegistered, async (message) => void beforeStop.push(message.key), harness.topic),
        ],
      });
      const handledFirst = [randomUUID(), randomUUID(), randomUUID()];
      for (const key of handledFirst) await harness.bus.publish(userRegistered(key));
      await until(async () => (beforeStop.length === handledFirst.length ? true : undefined));

      await first.stop();
      const publishedAfter = [randomUUID(), randomUUID()];
      for (const key of publishedAfter) await harness.bus.publish(userRegistered(key));
      const afterRestart: string[] = [];
      await subscribe(groupId, async (message) => void afterRestart.push(message.key));

      await until(async () => (afterRestart.length >= publishedAfter.length ? true : undefined));
      expect(afterRestart.sort()).toEqual([...publishedAfter].sort());
    });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
