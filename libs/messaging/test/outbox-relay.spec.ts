import { Registry } from 'prom-client';
import { eventually } from '@platform/testing';
import { InMemoryOutboxStore } from '../src/outbox/in-memory-outbox-store';
import type { StoredOutboxEvent } from '../src/outbox/outbox-event';
import { outboxFieldsOf } from '../src/outbox/outbox-fields';
import { UserRegistered } from '@platform/contracts';
import { handlerOf, InMemoryMessageBus, type IncomingMessage } from '../src';
import { InMemoryInbox } from '../src/inbox/in-memory-inbox';
import { createMessagingMetrics } from '../src/metrics/messaging-metrics';
import { OutboxRelay, type OutboxRelayOptions } from '../src/outbox/outbox-relay';
import { aPendingEvent, anAggregateId, aUserRegisteredEvent, secondsAfter } from './support/outbox-builders';
import { RecordingPublisher } from './support/outbox-publisher';

const start = new Date('2026-03-01T09:00:00.000Z');
const route = () => ({ topic: 'users.events.v1' });

function saveAggregates(store: InMemoryOutboxStore, count: number, eventsEach = 1): StoredOutboxEvent[] {
  const events: StoredOutboxEvent[] = [];
  for (let index = 0; index < count; index += 1) {
    const outbox = Array.from({ length: eventsEach }, () => aPendingEvent());
    store.documents.set(anAggregateId(), outboxFieldsOf(outbox));
    events.push(...outbox);
  }
  return events;
}

function aRelay(
  overrides: Partial<OutboxRelayOptions> & Pick<OutboxRelayOptions, 'store' | 'publisher'>,
): OutboxRelay {
  return new OutboxRelay({
    source: 'auth',
    route,
    leaseMs: 30_000,
    backoff: { initialMs: 1000, maxMs: 60_000 },
    random: () => 0.5,
    ...overrides,
  });
}

/** Stops `relay` while its publication is held, sees that stop waits for it, then lets it finish. */
async function stopWhileHeld(relay: OutboxRelay, release: () => void): Promise<void> {
  let stopped = false;
  const stopping = relay.stop().then(() => (stopped = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(stopped).toBe(false);
  release();
  await stopping;
}

function pendingCount(store: InMemoryOutboxStore): number {
  return [...store.documents.values()].reduce((sum, document) => sum + (document.outbox?.length ?? 0), 0);
}

describe('OutboxRelay', () => {
  describe('publishing', () => {
    it('when an event is pending, then it is published once as a message carrying its id, type, time, key and trace context', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const aggregateId = anAggregateId();
      const event = aPendingEvent({ correlationId: 'saga-1', tracestate: 'vendor=1' });
      store.documents.set(aggregateId, outboxFieldsOf([event]));
      await aRelay({ store, publisher, clock: () => start }).publishPending();
      expect(publisher.published).toEqual([
        {
          topic: 'users.events.v1',
          key: aggregateId,
          type: event.type,
          data: event.data,
          id: event.id,
          time: event.occurredAt.toISOString(),
          source: 'auth',
          traceparent: event.traceparent,
          tracestate: 'vendor=1',
          correlationId: 'saga-1',
        },
      ]);
      expect(store.documents.get(aggregateId)?.outbox).toEqual([]);
    });

    it('when the route names a key, then the message carries that key', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      saveAggregates(store, 1);
      await aRelay({
        store,
        publisher,
        route: () => ({ topic: 'inventory.events.v1', key: 'sku-1' }),
      }).publishPending();
      expect(publisher.published.map((message) => [message.topic, message.key])).toEqual([
        ['inventory.events.v1', 'sku-1'],
      ]);
    });

    it('when two relays pass over the same outbox at once, then every event is published exactly once', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const events = saveAggregates(store, 40, 2);
      const relays = [aRelay({ store, publisher, batchSize: 7 }), aRelay({ store, publisher, batchSize: 5 })];
      while (pendingCount(store) > 0) await Promise.all(relays.map((relay) => relay.publishPending()));
      expect(publisher.publishedIds().sort()).toEqual(events.map((event) => event.id).sort());
    });

    it('when two relays run their loops concurrently, then every event is published exactly once and both stop', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const events = saveAggregates(store, 30, 3);
      const relays = [
        aRelay({ store, publisher, batchSize: 4, pollIntervalMs: 5 }),
        aRelay({ store, publisher, batchSize: 4, pollIntervalMs: 5 }),
      ];
      relays.forEach((relay) => relay.start());
      await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 10_000, 10);
      await Promise.all(relays.map((relay) => relay.stop()));
      expect(publisher.publishedIds().sort()).toEqual(events.map((event) => event.id).sort());
    });

    it('when a batch is published, then its events are in flight together, up to publishConcurrency', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      saveAggregates(store, 5);
      const release = publisher.hold();
      const pass = aRelay({ store, publisher, publishConcurrency: 3 }).publishPending();
      await eventually(async () => (publisher.attempts.length === 3 ? true : undefined), 5000, 1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(publisher.attempts).toHaveLength(3);
      release();
      expect(await pass).toEqual({ claimed: 5, published: 5, failed: 0 });
      expect(pendingCount(store)).toBe(0);
    });

    it('when an aggregate has several events, then they are published in the order written', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const events = saveAggregates(store, 1, 4);
      const relay = aRelay({ store, publisher });
      while (pendingCount(store) > 0) await relay.publishPending();
      expect(publisher.publishedIds()).toEqual(events.map((event) => event.id));
    });
  });

  describe('routing by the contracts', () => {
    it('when no route is given, then a stored short name is published under its contract topic, wire name and key', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const userId = anAggregateId();
      store.documents.set(userId, outboxFieldsOf([aUserRegisteredEvent(userId)]));
      await new OutboxRelay({ store, publisher, source: 'auth' }).publishPending();
      expect(publisher.published.map(({ topic, type, key }) => ({ topic, type, key }))).toEqual([
        { topic: UserRegistered.topic, type: UserRegistered.type, key: userId },
      ]);
    });

    it('when a stored type is not in the contracts, then the attempt fails with the reason and the event stays pending', async () => {
      const store = new InMemoryOutboxStore();
      const errors: string[] = [];
      const aggregateId = anAggregateId();
      store.documents.set(aggregateId, outboxFieldsOf([aPendingEvent({ type: 'SomethingUndeclared' })]));
      const relay = new OutboxRelay({
        store,
        publisher: new RecordingPublisher(),
        source: 'auth',
        onError: (error, { step }) => errors.push(`${step}: ${(error as Error).message}`),
      });
      expect(await relay.publishPending()).toEqual({ claimed: 1, published: 0, failed: 1 });
      expect(errors).toEqual([
        expect.stringMatching(
          /^publish: .*SomethingUndeclared, which @platform\/contracts does not declare$/,
        ),
      ]);
      expect(store.documents.get(aggregateId)?.outbox).toHaveLength(1);
    });

    it('when the relay publishes to the message bus, then a consumer receives the event id and the stored trace context, and its inbox skips a re-publication', async () => {
      const store = new InMemoryOutboxStore();
      const bus = new InMemoryMessageBus();
      const inbox = new InMemoryInbox();
      const received: IncomingMessage[] = [];
      let effects = 0;
      const subscription = await bus.subscribe({
        groupId: 'notification',
        handlers: [
          handlerOf(UserRegistered, async (message) => {
            received.push(message);
            await inbox.runOnce('notification', message.id, async () => void (effects += 1));
          }),
        ],
      });
      const userId = anAggregateId();
      const event = aUserRegisteredEvent(userId);
      store.documents.set(userId, outboxFieldsOf([event]));
      const relay = new OutboxRelay({ store, publisher: bus, source: 'auth' });
      const [claimed] = await store.claim({ owner: 'crashed-relay', limit: 1, leaseMs: 0, now: new Date() });
      // A relay that published and died before marking: its lease ends, the event goes out again.
      await bus.publish({
        topic: UserRegistered.topic,
        type: UserRegistered.type,
        key: userId,
        data: claimed?.event.data,
        id: event.id,
        source: 'auth',
      });
      await relay.publishPending();

      await eventually(async () => (received.length === 2 ? true : undefined), 5000, 5);
      await subscription.stop();
      expect(received.map((message) => [message.id, message.key])).toEqual([
        [event.id, userId],
        [event.id, userId],
      ]);
      expect(received[1]?.traceparent).toBe(event.traceparent);
      expect(effects).toBe(1);
    });
  });

  describe('failures', () => {
    it('when the publisher fails twice then succeeds, then the event is retried after each backoff and published once', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const [event] = saveAggregates(store, 1);
      let now = start;
      const relay = aRelay({ store, publisher, clock: () => now, random: () => 0.99 });
      publisher.failNext(2);

      expect(await relay.publishPending()).toEqual({ claimed: 1, published: 0, failed: 1 });
      now = secondsAfter(start, 0.5);
      expect((await relay.publishPending()).claimed).toBe(0);
      now = secondsAfter(start, 1);
      expect(await relay.publishPending()).toEqual({ claimed: 1, published: 0, failed: 1 });
      now = secondsAfter(start, 2.5);
      expect((await relay.publishPending()).claimed).toBe(0);
      now = secondsAfter(start, 3);
      expect(await relay.publishPending()).toEqual({ claimed: 1, published: 1, failed: 0 });

      expect(publisher.attempts.map((message) => message.id)).toEqual([event!.id, event!.id, event!.id]);
      expect(publisher.publishedIds()).toEqual([event!.id]);
      expect(pendingCount(store)).toBe(0);
    });

    it('when the publisher fails twice then succeeds, then the metrics count two failed attempts and one event published 3 s after its commit', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const aggregateId = anAggregateId();
      store.documents.set(aggregateId, outboxFieldsOf([aPendingEvent({ occurredAt: start })]));
      const registry = new Registry();
      let now = start;
      const relay = aRelay({
        store,
        publisher,
        clock: () => now,
        random: () => 0.99,
        metrics: createMessagingMetrics(registry),
      });
      publisher.failNext(2);
      for (const seconds of [0, 1, 3]) {
        now = secondsAfter(start, seconds);
        await relay.publishPending();
      }
      const failures = await registry.getSingleMetric('messaging_outbox_publish_failures_total')!.get();
      const delay = await registry.getSingleMetric('messaging_outbox_publish_delay_seconds')!.get();
      expect(failures.values.map((sample) => sample.value)).toEqual([2]);
      const sampleOf = (name: string) =>
        delay.values.find((sample) => (sample as { metricName?: string }).metricName === name)?.value;
      expect([
        sampleOf('messaging_outbox_publish_delay_seconds_count'),
        sampleOf('messaging_outbox_publish_delay_seconds_sum'),
      ]).toEqual([1, 3]);
    });

    it('when a relay dies holding leases, then another relay publishes its events once the leases expire', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const events = saveAggregates(store, 5);
      let now = start;
      const stuckPublisher = new RecordingPublisher();
      stuckPublisher.hold();
      const dying = aRelay({ store, publisher: stuckPublisher, clock: () => now });
      const survivor = aRelay({ store, publisher, clock: () => now });
      const holdingLeases = stuckPublisher.nextAttempt();
      void dying.publishPending();
      await holdingLeases;

      expect((await survivor.publishPending()).claimed).toBe(0);
      now = secondsAfter(start, 30);
      await survivor.publishPending();
      expect(publisher.publishedIds().sort()).toEqual(events.map((event) => event.id).sort());
    });

    it('when claiming fails, then the error is reported and the pass publishes nothing', async () => {
      const errors: string[] = [];
      const store = new InMemoryOutboxStore();
      store.claim = async () => {
        throw new Error('store unreachable');
      };
      const relay = aRelay({
        store,
        publisher: new RecordingPublisher(),
        onError: (error, { step }) => errors.push(`${step}: ${(error as Error).message}`),
      });
      expect(await relay.publishPending()).toEqual({ claimed: 0, published: 0, failed: 0 });
      expect(errors).toEqual(['claim: store unreachable']);
    });
  });

  describe('waking', () => {
    const anHour = 3_600_000;

    it('when the store signals a commit, then a sleeping relay publishes the event without waiting for its interval', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const [first] = saveAggregates(store, 1);
      const relay = aRelay({ store, publisher, pollIntervalMs: anHour });
      relay.start();
      try {
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 5);
        // The first pass is over: the relay sleeps for an hour unless the signal wakes it.
        const [second] = saveAggregates(store, 1);
        store.written.notify();
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 5);
        expect(publisher.publishedIds()).toEqual([first!.id, second!.id]);
      } finally {
        await relay.stop();
      }
    });

    it('when an aggregate has two events, then a started relay publishes the second right after the first, not at its next interval', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const events = saveAggregates(store, 1, 2);
      const relay = aRelay({ store, publisher, pollIntervalMs: anHour });
      relay.start();
      try {
        // A claim takes only an aggregate's oldest event; the second is claimable once the first is published.
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 5);
      } finally {
        await relay.stop();
      }
      expect(publisher.publishedIds()).toEqual(events.map(({ id }) => id));
    });

    it('when signals arrive during a pass, then they make one more pass, not one per signal', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const passes = jest.spyOn(store, 'claim');
      const [first] = saveAggregates(store, 1);
      const release = publisher.hold();
      const relay = aRelay({ store, publisher, pollIntervalMs: anHour });
      const publishing = publisher.nextAttempt();
      relay.start();
      let second: StoredOutboxEvent | undefined;
      try {
        await publishing;
        // Committed while the first pass publishes: its claim came too early to see this event.
        [second] = saveAggregates(store, 1);
        for (let signal = 0; signal < 5; signal += 1) store.written.notify();
        release();
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 5);
      } finally {
        await relay.stop();
      }
      expect(publisher.publishedIds()).toEqual([first!.id, second!.id]);
      // The first pass, the one the signals asked for, and one that finds nothing left after it published.
      expect(passes).toHaveBeenCalledTimes(3);
    });
  });

  describe('publishing what a commit wrote', () => {
    const anHour = 3_600_000;

    /** Writes `events` to an aggregate's outbox, as a repository's commit does, and says so on the signal. */
    function commit(store: InMemoryOutboxStore, aggregateId: string, events: StoredOutboxEvent[]): void {
      const waiting = store.documents.get(aggregateId)?.outbox ?? [];
      store.documents.set(aggregateId, outboxFieldsOf([...waiting, ...events]));
      store.written.notify({ aggregateId, events });
    }

    /** A started relay after its first pass, which found nothing: it sleeps for an hour unless told. */
    async function aSleepingRelay(store: InMemoryOutboxStore, publisher: RecordingPublisher, options = {}) {
      const passes = jest.spyOn(store, 'claim');
      const relay = aRelay({ store, publisher, pollIntervalMs: anHour, ...options });
      relay.start();
      await eventually(async () => (passes.mock.calls.length === 1 ? true : undefined), 5000, 1);
      return { relay, passes };
    }

    it('when a commit says which events it wrote, then the relay claims and publishes them in order, with no pass', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const { relay, passes } = await aSleepingRelay(store, publisher);
      const aggregateId = anAggregateId();
      const events = [aPendingEvent(), aPendingEvent()];
      try {
        commit(store, aggregateId, events);
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 1);
      } finally {
        await relay.stop();
      }
      expect(publisher.publishedIds()).toEqual(events.map(({ id }) => id));
      expect(passes).toHaveBeenCalledTimes(1);
    });

    it('when commits of one aggregate follow each other while the first is being published, then their events go out in commit order', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const { relay, passes } = await aSleepingRelay(store, publisher);
      const aggregateId = anAggregateId();
      const first = aPendingEvent();
      const second = aPendingEvent();
      const release = publisher.hold();
      const publishing = publisher.nextAttempt();
      try {
        commit(store, aggregateId, [first]);
        await publishing;
        commit(store, aggregateId, [second]);
        release();
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 1);
      } finally {
        await relay.stop();
      }
      expect(publisher.publishedIds()).toEqual([first.id, second.id]);
      expect(passes).toHaveBeenCalledTimes(1);
    });

    it('when an older event of the aggregate is held by another relay, then the written one is left to a pass, which publishes it once the older is out', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const aggregateId = anAggregateId();
      const older = aPendingEvent();
      store.documents.set(aggregateId, outboxFieldsOf([older]));
      const [held] = await store.claim({
        owner: 'another-relay',
        now: new Date(),
        leaseMs: 30_000,
        limit: 1,
      });
      const { relay, passes } = await aSleepingRelay(store, publisher, { pollIntervalMs: 20 });
      const written = aPendingEvent();
      try {
        const before = passes.mock.calls.length;
        commit(store, aggregateId, [written]);
        await eventually(async () => (passes.mock.calls.length > before ? true : undefined), 5000, 1);
        expect(publisher.publishedIds()).toEqual([]);
        // The other relay publishes the older event; a pass then finds the written one.
        await store.markPublished(held!);
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 1);
      } finally {
        await relay.stop();
      }
      expect(publisher.publishedIds()).toEqual([written.id]);
    });

    it('when claiming a written event fails, then the failure is reported and a pass publishes the event', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const errors: string[] = [];
      store.claimHead = async () => {
        throw new Error('store unreachable');
      };
      const { relay } = await aSleepingRelay(store, publisher, {
        onError: (error: unknown, { step }: { step: string }) =>
          errors.push(`${step}: ${(error as Error).message}`),
      });
      const event = aPendingEvent();
      try {
        commit(store, anAggregateId(), [event]);
        await eventually(async () => (pendingCount(store) === 0 ? true : undefined), 5000, 1);
      } finally {
        await relay.stop();
      }
      expect(errors).toEqual(['claim: store unreachable']);
      expect(publisher.publishedIds()).toEqual([event.id]);
    });

    it('when stopped while a written event is being published, then stop waits for it, and the events behind it stay for the next relay', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const { relay } = await aSleepingRelay(store, publisher);
      const events = [aPendingEvent(), aPendingEvent()];
      const release = publisher.hold();
      const publishing = publisher.nextAttempt();
      commit(store, anAggregateId(), events);
      await publishing;
      await stopWhileHeld(relay, release);
      expect(publisher.publishedIds()).toEqual([events[0]!.id]);
      expect(await aRelay({ store, publisher }).publishPending()).toEqual({
        claimed: 1,
        published: 1,
        failed: 0,
      });
      expect(publisher.publishedIds()).toEqual(events.map(({ id }) => id));
    });
  });

  describe('stopping', () => {
    it('when stopped mid-batch, then stop waits for the events in flight, and the rest of the batch is handed back at once', async () => {
      const store = new InMemoryOutboxStore();
      const publisher = new RecordingPublisher();
      const events = saveAggregates(store, 5);
      const release = publisher.hold();
      const relay = aRelay({ store, publisher, clock: () => start, publishConcurrency: 2 });
      relay.start();
      await eventually(async () => (publisher.attempts.length === 2 ? true : undefined), 5000, 1);

      await stopWhileHeld(relay, release);
      expect(publisher.publishedIds().sort()).toEqual([events[0]!.id, events[1]!.id].sort());
      const other = aRelay({ store, publisher, clock: () => start });
      expect(await other.publishPending()).toEqual({ claimed: 3, published: 3, failed: 0 });
    });

    it('when a relay that never started is stopped, then stop resolves', async () => {
      await expect(
        aRelay({ store: new InMemoryOutboxStore(), publisher: new RecordingPublisher() }).stop(),
      ).resolves.toBeUndefined();
    });
  });
});
