import type { OutboxDocument, StoredOutboxEvent } from '../src/outbox/outbox-event';
import type { OutboxStore } from '../src/outbox/outbox-store.port';
import { aPendingEvent, anAggregateId, secondsAfter } from './support/outbox-builders';

export interface OutboxStoreSubject {
  store: OutboxStore;
  /** Another relay process's store over the same data. */
  anotherStore(): OutboxStore;
  /** Writes an aggregate and its pending events in one write, as a service does. */
  saveAggregate(id: string, fields: Record<string, unknown>, outbox: StoredOutboxEvent[]): Promise<void>;
  /** Appends events to a saved aggregate in one write, as a service's later state change does. */
  appendEvents(id: string, events: StoredOutboxEvent[]): Promise<void>;
  readAggregate(id: string): Promise<(Record<string, unknown> & OutboxDocument) | undefined>;
  cleanup(): Promise<void>;
}

const lease = { leaseMs: 30_000, limit: 1000 };
const start = new Date('2026-02-01T12:00:00.000Z');

/** What every OutboxStore adapter must do; run against the in-memory adapter, MongoDB and Cassandra. */
export function describeOutboxStoreContract(name: string, factory: () => Promise<OutboxStoreSubject>): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let subject: OutboxStoreSubject;
    let store: OutboxStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      await store.ensureIndexes();
    });
    afterEach(() => subject.cleanup());

    async function saveWithEvents(
      count: number,
    ): Promise<{ aggregateId: string; events: StoredOutboxEvent[] }> {
      const aggregateId = anAggregateId();
      const events = Array.from({ length: count }, () => aPendingEvent());
      await subject.saveAggregate(aggregateId, { name: 'Ada', roles: ['customer'] }, events);
      return { aggregateId, events };
    }

    it('when an aggregate holds a pending event, then a claim leases it to the claimer with no attempts yet', async () => {
      const { aggregateId, events } = await saveWithEvents(1);
      const claimed = await store.claim({ owner: 'relay-a', now: start, ...lease });
      expect(claimed).toHaveLength(1);
      expect(claimed[0]).toMatchObject({
        aggregateId,
        event: events[0],
        attempts: 0,
        owner: 'relay-a',
        leaseUntil: secondsAfter(start, 30),
      });
    });

    it('when an event is leased, then nobody else claims it before the lease ends', async () => {
      await saveWithEvents(1);
      await store.claim({ owner: 'relay-a', now: start, ...lease });
      expect(
        await subject.anotherStore().claim({ owner: 'relay-b', now: secondsAfter(start, 29), ...lease }),
      ).toEqual([]);
      expect(await store.claim({ owner: 'relay-a', now: secondsAfter(start, 29), ...lease })).toEqual([]);
    });

    it('when two relays claim concurrently, then each pending event is claimed by exactly one of them', async () => {
      const saved = await Promise.all(Array.from({ length: 20 }, () => saveWithEvents(1)));
      const other = subject.anotherStore();
      const claims = await Promise.all([
        store.claim({ owner: 'relay-a', now: start, ...lease }),
        other.claim({ owner: 'relay-b', now: start, ...lease }),
        store.claim({ owner: 'relay-a', now: start, ...lease }),
        other.claim({ owner: 'relay-b', now: start, ...lease }),
      ]);
      const claimedIds = claims.flat().map((claimed) => claimed.event.id);
      expect(claimedIds.sort()).toEqual(saved.map(({ events }) => events[0]!.id).sort());
    });

    it('when a limit is given, then no more events than the limit are claimed', async () => {
      await Promise.all(Array.from({ length: 5 }, () => saveWithEvents(1)));
      expect(await store.claim({ owner: 'relay-a', now: start, leaseMs: 30_000, limit: 3 })).toHaveLength(3);
      expect(await store.claim({ owner: 'relay-a', now: start, leaseMs: 30_000, limit: 3 })).toHaveLength(2);
    });

    it('when more aggregates wait than one claim looks at, then successive claims reach every one of them', async () => {
      const saved = await Promise.all(Array.from({ length: 9 }, () => saveWithEvents(1)));
      const published: string[] = [];
      for (let round = 0; round < 9; round += 1) {
        const claimed = await store.claim({ owner: 'relay-a', now: start, leaseMs: 30_000, limit: 1 });
        for (const one of claimed) {
          published.push(one.event.id);
          await store.markPublished(one, start);
        }
      }
      expect(published.sort()).toEqual(saved.map(({ events }) => events[0]!.id).sort());
    });

    it('when a lease has expired (its relay died), then another relay claims the event', async () => {
      const { events } = await saveWithEvents(1);
      await store.claim({ owner: 'relay-a', now: start, ...lease });
      const reclaimed = await subject
        .anotherStore()
        .claim({ owner: 'relay-b', now: secondsAfter(start, 30), ...lease });
      expect(reclaimed.map((claimed) => [claimed.event.id, claimed.owner])).toEqual([
        [events[0]!.id, 'relay-b'],
      ]);
    });

    it('when twenty relays claim one event at once, then exactly one of them gets it', async () => {
      const { events } = await saveWithEvents(1);
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          subject.anotherStore().claim({ owner: `relay-${index}`, now: start, ...lease }),
        ),
      );
      expect(claims.flat().map((claimed) => claimed.event.id)).toEqual([events[0]!.id]);
    });

    it('when an expired lease is reclaimed by twenty relays at once, then exactly one of them gets it', async () => {
      await saveWithEvents(1);
      await store.claim({ owner: 'relay-a', now: start, ...lease });
      const later = secondsAfter(start, 60);
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          subject.anotherStore().claim({ owner: `relay-${index}`, now: later, ...lease }),
        ),
      );
      expect(claims.flat().map((claimed) => claimed.owner)).toHaveLength(1);
    });

    it('when an event is published, then it leaves its aggregate, the other fields stay, and it is never claimed again', async () => {
      const { aggregateId } = await saveWithEvents(1);
      const before = await subject.readAggregate(aggregateId);
      const [claimed] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      await store.markPublished(claimed!, secondsAfter(start, 1));
      const after = await subject.readAggregate(aggregateId);
      expect(after?.outbox).toEqual([]);
      expect(withoutOutbox(after)).toEqual(withoutOutbox(before));
      expect(
        await subject.anotherStore().claim({ owner: 'relay-b', now: secondsAfter(start, 3600), ...lease }),
      ).toEqual([]);
    });

    it('when an attempt failed, then the event waits until its next attempt time and comes back with the attempt counted', async () => {
      const { events } = await saveWithEvents(1);
      const [claimed] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      const nextAttemptAt = secondsAfter(start, 2);
      await store.recordFailedAttempt(claimed!, {
        now: secondsAfter(start, 1),
        nextAttemptAt,
        error: 'broker unavailable',
      });
      expect(await store.claim({ owner: 'relay-a', now: secondsAfter(start, 1.5), ...lease })).toEqual([]);
      const retried = await subject.anotherStore().claim({ owner: 'relay-b', now: nextAttemptAt, ...lease });
      expect(retried.map((one) => [one.event.id, one.attempts])).toEqual([[events[0]!.id, 1]]);
      await store.recordFailedAttempt(retried[0]!, {
        now: nextAttemptAt,
        nextAttemptAt: secondsAfter(start, 10),
        error: 'again',
      });
      const third = await store.claim({ owner: 'relay-a', now: secondsAfter(start, 10), ...lease });
      expect(third.map((one) => one.attempts)).toEqual([2]);
    });

    it('when a relay releases its leases, then another relay claims the events at once, with no attempt counted', async () => {
      const { events } = await saveWithEvents(1);
      const claimed = await store.claim({ owner: 'relay-a', now: start, ...lease });
      await store.release(claimed, secondsAfter(start, 1));
      const reclaimed = await subject
        .anotherStore()
        .claim({ owner: 'relay-b', now: secondsAfter(start, 1), ...lease });
      expect(reclaimed.map((one) => [one.event.id, one.attempts])).toEqual([[events[0]!.id, 0]]);
    });

    it('when a relay whose lease was taken over records a failure, then the new holder keeps the event', async () => {
      await saveWithEvents(1);
      const [stale] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      await subject.anotherStore().claim({ owner: 'relay-b', now: secondsAfter(start, 31), ...lease });
      await store.recordFailedAttempt(stale!, {
        now: secondsAfter(start, 32),
        nextAttemptAt: secondsAfter(start, 33),
        error: 'late',
      });
      await store.release([stale!], secondsAfter(start, 33));
      expect(await store.claim({ owner: 'relay-c', now: secondsAfter(start, 40), ...lease })).toEqual([]);
    });

    it('when an aggregate holds several pending events, then they are claimed one at a time in the order written', async () => {
      const { aggregateId, events } = await saveWithEvents(3);
      const publishedOrder: string[] = [];
      for (let round = 0; round < 3; round += 1) {
        const now = secondsAfter(start, round);
        const claimed = await store.claim({ owner: 'relay-a', now, ...lease });
        expect(claimed).toHaveLength(1);
        publishedOrder.push(claimed[0]!.event.id);
        await store.markPublished(claimed[0]!, now);
      }
      expect(publishedOrder).toEqual(events.map((event) => event.id));
      expect((await subject.readAggregate(aggregateId))?.outbox).toEqual([]);
    });

    it('when the oldest event of an aggregate is waiting for a retry, then its later events wait too', async () => {
      await saveWithEvents(2);
      const [first] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      await store.recordFailedAttempt(first!, {
        now: start,
        nextAttemptAt: secondsAfter(start, 60),
        error: 'down',
      });
      expect(await store.claim({ owner: 'relay-a', now: secondsAfter(start, 1), ...lease })).toEqual([]);
    });

    it('when an aggregate was saved without events, then nothing is claimed', async () => {
      await subject.saveAggregate(anAggregateId(), { name: 'Bob' }, []);
      expect(await store.claim({ owner: 'relay-a', now: start, ...lease })).toEqual([]);
    });

    it('when events are appended after the last one was published, then they are claimed in order', async () => {
      const { aggregateId } = await saveWithEvents(1);
      const [first] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      await store.markPublished(first!, start);
      const appended = [aPendingEvent(), aPendingEvent()];
      await subject.appendEvents(aggregateId, appended);
      const claimedIds: string[] = [];
      for (let round = 0; round < 2; round += 1) {
        const claimed = await subject.anotherStore().claim({ owner: 'relay-b', now: start, ...lease });
        claimedIds.push(...claimed.map((one) => one.event.id));
        for (const one of claimed) await store.markPublished(one, start);
      }
      expect(claimedIds).toEqual(appended.map((event) => event.id));
    });

    describe('claiming a written event where it is (claimHead)', () => {
      const head = { owner: 'relay-a', now: start, leaseMs: lease.leaseMs };

      it("when the event was just written as its aggregate's oldest, then it is leased to the claimer and nobody claims it before the lease ends", async () => {
        const { aggregateId, events } = await saveWithEvents(1);
        expect(await store.claimHead(aggregateId, events[0]!, head)).toMatchObject({
          aggregateId,
          event: events[0],
          attempts: 0,
          owner: 'relay-a',
          leaseUntil: secondsAfter(start, 30),
        });
        const other = subject.anotherStore();
        expect(await other.claim({ owner: 'relay-b', now: secondsAfter(start, 29), ...lease })).toEqual([]);
        expect(await other.claimHead(aggregateId, events[0]!, { ...head, owner: 'relay-b' })).toBeUndefined();
      });

      it('when an older event of the aggregate waits, then the newer one is not claimed, until the older is published', async () => {
        const { aggregateId, events } = await saveWithEvents(2);
        expect(await store.claimHead(aggregateId, events[1]!, head)).toBeUndefined();
        const [older] = await store.claim({ owner: 'relay-b', now: start, ...lease });
        expect(older?.event.id).toBe(events[0]!.id);
        expect(await store.claimHead(aggregateId, events[1]!, head)).toBeUndefined();
        await store.markPublished(older!, start);
        expect((await store.claimHead(aggregateId, events[1]!, head))?.event.id).toBe(events[1]!.id);
      });

      it('when a pass has leased the event, or it was published, then it is not claimed again', async () => {
        const { aggregateId, events } = await saveWithEvents(1);
        const [claimed] = await subject.anotherStore().claim({ owner: 'relay-b', now: start, ...lease });
        expect(await store.claimHead(aggregateId, events[0]!, head)).toBeUndefined();
        await store.markPublished(claimed!, start);
        expect(await store.claimHead(aggregateId, events[0]!, head)).toBeUndefined();
      });

      it('when twenty relays claim a written event at once, then exactly one of them gets it', async () => {
        const { aggregateId, events } = await saveWithEvents(1);
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            subject.anotherStore().claimHead(aggregateId, events[0]!, { ...head, owner: `relay-${index}` }),
          ),
        );
        expect(claims.filter((one) => one !== undefined)).toHaveLength(1);
      });
    });

    it('when two relays published the same event (its lease was taken over), then the later one leaves the next event and its lease alone', async () => {
      const { aggregateId, events } = await saveWithEvents(2);
      const [slow] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      const [taker] = await subject
        .anotherStore()
        .claim({ owner: 'relay-b', now: secondsAfter(start, 31), ...lease });
      // Both published the first event; the slow relay removes it, and relay-c claims the next one.
      await store.markPublished(slow!, secondsAfter(start, 32));
      const [next] = await store.claim({ owner: 'relay-c', now: secondsAfter(start, 32), ...lease });
      await store.markPublished(taker!, secondsAfter(start, 33));
      await store.recordFailedAttempt(taker!, {
        now: secondsAfter(start, 33),
        nextAttemptAt: secondsAfter(start, 34),
        error: 'late',
      });
      expect(next?.event.id).toBe(events[1]!.id);
      expect(await store.claim({ owner: 'relay-d', now: secondsAfter(start, 40), ...lease })).toEqual([]);
      expect((await subject.readAggregate(aggregateId))?.outbox?.map((event) => event.id)).toEqual([
        events[1]!.id,
      ]);
    });
  });
}

/**
 * The marker of the stores that keep events in their aggregates' documents (MongoDB, in memory):
 * `outboxPending` is true exactly while events wait, so a claim finds them by an index lookup.
 */
export function describeOutboxMarkerContract(name: string, factory: () => Promise<OutboxStoreSubject>): void {
  describe(`OutboxStore pending marker: ${name}`, () => {
    let subject: OutboxStoreSubject;
    let store: OutboxStore;
    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      await store.ensureIndexes();
    });
    afterEach(() => subject.cleanup());

    async function publishNext(): Promise<void> {
      const [claimed] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      await store.markPublished(claimed!, start);
    }

    it('when events wait, then their aggregate is marked, until the last of them is published', async () => {
      const aggregateId = anAggregateId();
      await subject.saveAggregate(aggregateId, { name: 'Ada' }, [aPendingEvent(), aPendingEvent()]);
      expect((await subject.readAggregate(aggregateId))?.outboxPending).toBe(true);
      await publishNext();
      expect((await subject.readAggregate(aggregateId))?.outboxPending).toBe(true);
      await publishNext();
      const published = await subject.readAggregate(aggregateId);
      expect(published?.outbox).toEqual([]);
      expect(published).not.toHaveProperty('outboxPending');
    });

    it('when events are appended to an aggregate with none waiting, then it is marked again', async () => {
      const aggregateId = anAggregateId();
      await subject.saveAggregate(aggregateId, { name: 'Ada' }, []);
      expect(await subject.readAggregate(aggregateId)).not.toHaveProperty('outboxPending');
      await subject.appendEvents(aggregateId, [aPendingEvent()]);
      expect((await subject.readAggregate(aggregateId))?.outboxPending).toBe(true);
    });

    it('when an event is appended while the last one is being published, then the aggregate stays marked and the new event is claimed', async () => {
      const aggregateId = anAggregateId();
      await subject.saveAggregate(aggregateId, { name: 'Ada' }, [aPendingEvent()]);
      const [claimed] = await store.claim({ owner: 'relay-a', now: start, ...lease });
      const appended = aPendingEvent();
      await subject.appendEvents(aggregateId, [appended]);
      await store.markPublished(claimed!, start);
      expect((await subject.readAggregate(aggregateId))?.outboxPending).toBe(true);
      const next = await store.claim({ owner: 'relay-a', now: start, ...lease });
      expect(next.map((one) => one.event.id)).toEqual([appended.id]);
    });
  });
}

/** The aggregate's own fields: what the store writes (events, marker, leases) left out. */
function withoutOutbox(document: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document ?? {}).filter(([field]) => !field.startsWith('outbox')));
}
