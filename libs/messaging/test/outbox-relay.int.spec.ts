import { eventually } from '@platform/testing';
import { MongoOutboxStore } from '../src/outbox/mongo-outbox-store';
import type { StoredOutboxEvent } from '../src/outbox/outbox-event';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { aPendingEvent, anAggregateId, secondsAfter } from './support/outbox-builders';
import { connectToTestDatabase, uniqueCollectionName } from './support/outbox-mongo';
import { RecordingPublisher } from './support/outbox-publisher';

let database: Awaited<ReturnType<typeof connectToTestDatabase>>;
beforeAll(async () => {
  database = await connectToTestDatabase('messaging-outbox-relay-test');
});
afterAll(() => database.close());

const route = () => ({ topic: 'users.events.v1' });

/** Users written as the auth service writes them: the user and its event in one insert. */
async function saveUsers(collection: string, count: number): Promise<StoredOutboxEvent[]> {
  const users = Array.from({ length: count }, () => ({
    _id: anAggregateId(),
    email: 'ada@example.com',
    outbox: [aPendingEvent()],
  }));
  await database.db.collection<{ _id: string }>(collection).insertMany(users);
  return users.map((user) => user.outbox[0]!);
}

async function pendingCount(collection: string): Promise<number> {
  return database.db.collection(collection).countDocuments({ 'outbox.state': 'pending' });
}

function storesOver(collection: string): () => MongoOutboxStore {
  const leases = uniqueCollectionName('outbox_leases');
  return () => new MongoOutboxStore(database.db, collection, { leaseCollection: leases });
}

describe('OutboxRelay over MongoDB', () => {
  it('when two relay processes run their loops concurrently, then every event is published exactly once and every outbox is emptied', async () => {
    const users = uniqueCollectionName('users');
    const events = await saveUsers(users, 30);
    const newStore = storesOver(users);
    await newStore().ensureIndexes();
    const publisher = new RecordingPublisher();
    const relays = [
      new OutboxRelay({
        store: newStore(),
        publisher,
        source: 'auth',
        route,
        batchSize: 4,
        pollIntervalMs: 20,
      }),
      new OutboxRelay({
        store: newStore(),
        publisher,
        source: 'auth',
        route,
        batchSize: 4,
        pollIntervalMs: 20,
      }),
    ];
    relays.forEach((relay) => relay.start());
    await eventually(async () => ((await pendingCount(users)) === 0 ? true : undefined), 20_000, 50);
    await Promise.all(relays.map((relay) => relay.stop()));
    expect(publisher.publishedIds().sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('when a relay dies holding leases, then another relay publishes its events once the leases expire', async () => {
    const users = uniqueCollectionName('users');
    const events = await saveUsers(users, 3);
    const newStore = storesOver(users);
    let now = new Date('2026-03-01T09:00:00.000Z');
    const stuck = new RecordingPublisher();
    stuck.hold();
    const dying = new OutboxRelay({
      store: newStore(),
      publisher: stuck,
      source: 'auth',
      route,
      clock: () => now,
      leaseMs: 30_000,
    });
    const publisher = new RecordingPublisher();
    const survivor = new OutboxRelay({
      store: newStore(),
      publisher,
      source: 'auth',
      route,
      clock: () => now,
      leaseMs: 30_000,
    });
    const holdingLeases = stuck.nextAttempt();
    void dying.publishPending();
    await holdingLeases;

    expect((await survivor.publishPending()).claimed).toBe(0);
    now = secondsAfter(now, 30);
    await survivor.publishPending();
    expect(publisher.publishedIds().sort()).toEqual(events.map((event) => event.id).sort());
    expect(await pendingCount(users)).toBe(0);
  });

  it('when the publisher fails twice then succeeds, then the event is published once and leaves the user document', async () => {
    const users = uniqueCollectionName('users');
    const [event] = await saveUsers(users, 1);
    const publisher = new RecordingPublisher();
    publisher.failNext(2);
    let now = new Date('2026-03-01T09:00:00.000Z');
    const relay = new OutboxRelay({
      store: storesOver(users)(),
      publisher,
      source: 'auth',
      route,
      clock: () => now,
      backoff: { initialMs: 1000, maxMs: 60_000 },
      random: () => 0.99,
    });
    for (const secondsLater of [0, 1, 2]) {
      now = secondsAfter(now, secondsLater);
      await relay.publishPending();
    }
    expect(publisher.attempts).toHaveLength(3);
    expect(publisher.publishedIds()).toEqual([event!.id]);
    expect(await pendingCount(users)).toBe(0);
  });
});
