import type { Kafka } from 'kafkajs';
import { UserRegistered } from '@platform/contracts';
import { eventually } from '@platform/testing';
import { handlerOf, KafkaMessageBus } from '../src';

type Listener = (event: { payload: Record<string, unknown> }) => void;

/**
 * kafkajs' consumer as far as a group member uses it: its crash and join events are raised by
 * the test, as kafkajs raises them (consumer/index.js: a crash it will not restart from is
 * emitted with `restart: false`, after the consumer has disconnected itself).
 */
class ScriptedConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' } as const;
  runs = 0;
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }

  emit(event: string, payload: Record<string, unknown>): void {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }

  readonly connect = () => Promise.resolve();
  readonly subscribe = () => Promise.resolve();
  readonly disconnect = () => Promise.resolve();
  async run(): Promise<void> {
    this.runs += 1;
  }
}

/** A kafkajs error as kafkajs names it; `cause` as its non-retriable wrappers carry one. */
function kafkajsError(name: string, message: string, cause?: Error): Error {
  const error = new Error(message, cause ? { cause } : undefined);
  error.name = name;
  return error;
}

async function memberOver(consumer: ScriptedConsumer) {
  const restarts: Error[] = [];
  const crashes: Error[] = [];
  const kafka = {
    consumer: () => consumer,
    producer: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
  } as unknown as Kafka;
  const bus = new KafkaMessageBus(kafka, {
    // The backoff draws the lowest delay: the restart follows at once.
    random: () => 0,
    onConsumerRestart: (error) => restarts.push(error),
    onConsumerCrash: (error) => crashes.push(error),
  });
  const subscription = await bus.subscribe({
    groupId: 'restart-test',
    handlers: [handlerOf(UserRegistered, () => Promise.resolve())],
  });
  consumer.emit(consumer.events.GROUP_JOIN, {});
  return { bus, subscription, restarts, crashes };
}

describe('a Kafka group member that kafkajs ends for good', () => {
  it('when kafkajs ends it because no broker answered the lookup of its coordinator, then it restarts itself, joining again, and nothing is reported failed', async () => {
    const consumer = new ScriptedConsumer();
    const { bus, subscription, restarts, crashes } = await memberOver(consumer);
    expect(subscription.joined()).toBe(true);

    const lost = kafkajsError('KafkaJSGroupCoordinatorNotFound', 'Failed to find group coordinator');
    consumer.emit(consumer.events.CRASH, { error: lost, restart: false });

    expect(subscription.joined()).toBe(false);
    await eventually(async () => (consumer.runs === 2 ? true : undefined), 5_000, 10);
    expect(restarts).toEqual([lost]);
    expect(subscription.failure()).toBeUndefined();
    expect(crashes).toEqual([]);
    consumer.emit(consumer.events.GROUP_JOIN, {});
    expect(subscription.joined()).toBe(true);
    await bus.disconnect();
  });

  it('when the error kafkajs ends it on is caused by a lost connection, then it restarts itself too', async () => {
    const consumer = new ScriptedConsumer();
    const { bus, subscription } = await memberOver(consumer);

    const cause = kafkajsError('KafkaJSConnectionError', 'Connection error: read ECONNRESET');
    consumer.emit(consumer.events.CRASH, {
      error: kafkajsError('KafkaJSNonRetriableError', 'Connection error', cause),
      restart: false,
    });

    await eventually(async () => (consumer.runs === 2 ? true : undefined), 5_000, 10);
    expect(subscription.failure()).toBeUndefined();
    await bus.disconnect();
  });

  it.each(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION'])(
    'when kafkajs ends it because the group removed it while it was cut off (%s on a commit), then it restarts itself, joining as a new member',
    async (type) => {
      const consumer = new ScriptedConsumer();
      const { bus, subscription, restarts, crashes } = await memberOver(consumer);

      // As kafkajs' retrier wraps a non-retriable protocol error: the protocol error is the cause.
      const refused = Object.assign(
        kafkajsError('KafkaJSProtocolError', 'The coordinator is not aware of this member'),
        { type, retriable: false },
      );
      const crash = kafkajsError('KafkaJSNonRetriableError', refused.message, refused);
      consumer.emit(consumer.events.CRASH, { error: crash, restart: false });

      expect(subscription.joined()).toBe(false);
      await eventually(async () => (consumer.runs === 2 ? true : undefined), 5_000, 10);
      expect(restarts).toEqual([crash]);
      expect([subscription.failure(), crashes]).toEqual([undefined, []]);
      await bus.disconnect();
    },
  );

  it('when kafkajs ends it on any other error, then it stays stopped, failure() names the error and onConsumerCrash hears it', async () => {
    const consumer = new ScriptedConsumer();
    const { bus, subscription, restarts, crashes } = await memberOver(consumer);

    const refused = kafkajsError(
      'KafkaJSProtocolError',
      'The request included a message larger than the max message size the server will accept',
    );
    consumer.emit(consumer.events.CRASH, { error: refused, restart: false });

    expect(subscription.failure()).toBe(refused);
    expect(crashes).toEqual([refused]);
    expect(restarts).toEqual([]);
    expect(consumer.runs).toBe(1);
    await bus.disconnect();
  });

  it('when kafkajs restarts it itself, then nothing else happens', async () => {
    const consumer = new ScriptedConsumer();
    const { bus, subscription, restarts, crashes } = await memberOver(consumer);

    consumer.emit(consumer.events.CRASH, {
      error: kafkajsError('KafkaJSNumberOfRetriesExceeded', 'Connection error: connect ECONNREFUSED'),
      restart: true,
    });

    expect(subscription.failure()).toBeUndefined();
    expect([restarts, crashes, consumer.runs]).toEqual([[], [], 1]);
    await bus.disconnect();
  });
});
