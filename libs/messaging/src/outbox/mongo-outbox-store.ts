import { MongoServerError, type Collection, type Db, type Filter } from 'mongodb';
import type { ClaimedOutboxEvent, OutboxDocument, StoredOutboxEvent } from './outbox-event';
import type { ClaimRequest, FailedAttempt, OutboxStore } from './outbox-store.port';

/**
 * One claim of one event. Its `_id` is `<eventId>#<generation>`: claiming inserts the next
 * generation, so of several relays that race for an event exactly one insert succeeds. Primary keys
 * are atomic on MongoDB and FerretDB alike; a conditional update is not atomic on FerretDB.
 */
interface LeaseDocument {
  _id: string;
  eventId: string;
  generation: number;
  owner: string;
  /** The event is not claimable again before this: the lease's end, or the next attempt after a failure. */
  leaseUntil: Date;
  /** Failed attempts, this claim's included once it failed. */
  attempts: number;
  claimedAt: Date;
  publishedAt: Date | null;
  failedAt?: Date;
  lastError?: string;
  releasedAt?: Date;
}

type AggregateDocument = OutboxDocument & { _id: string };

export interface MongoOutboxStoreOptions {
  /** Shared by every aggregate collection of a service: event ids are unique on their own. */
  leaseCollection?: string;
  /** How many aggregates with pending events one claim looks at, as a multiple of its limit. */
  scanFactor?: number;
}

const duplicateKey = 11000;

/**
 * Pending events live in the aggregate's own `outbox` array, so the state change and the event are
 * one single-document write (no transactions needed). Publishing removes the event with an
 * exact-match `$pull` of the whole element (FerretDB ignores a `$pull` with a condition), and the
 * relay's bookkeeping (leases, attempts, backoff) lives in `outbox_leases`, so the aggregate is
 * written once more at most.
 */
export class MongoOutboxStore implements OutboxStore {
  private readonly aggregates: Collection<AggregateDocument>;
  private readonly leases: Collection<LeaseDocument>;
  private readonly scanFactor: number;
  /** Where the next scan starts: aggregates are visited round robin, so blocked ones cannot starve the rest. */
  private scanAfter: string | undefined;

  constructor(db: Db, aggregateCollection: string, options: MongoOutboxStoreOptions = {}) {
    this.aggregates = db.collection<AggregateDocument>(aggregateCollection);
    this.leases = db.collection<LeaseDocument>(options.leaseCollection ?? 'outbox_leases');
    this.scanFactor = options.scanFactor ?? 4;
  }

  async ensureIndexes(): Promise<void> {
    await this.leases.createIndex({ eventId: 1 }, { name: 'event_id' });
    await this.leases.createIndex({ publishedAt: 1 }, { name: 'published_at' });
  }

  async claim({ owner, limit, leaseMs, now }: ClaimRequest): Promise<ClaimedOutboxEvent[]> {
    if (limit <= 0) return [];
    const documents = await this.scan(limit * this.scanFactor);
    const pendingIds = documents.flatMap((document) => pendingOf(document).map((event) => event.id));
    const latest = await this.latestLeases(pendingIds);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claimed: ClaimedOutboxEvent[] = [];
    for (const document of documents) {
      if (claimed.length >= limit) break;
      for (const event of pendingOf(document)) {
        const lease = latest.get(event.id);
        if (lease?.publishedAt) {
          // Published, but the relay stopped before removing it: finish that and look at the next one.
          await this.removeFromAggregate(document._id, event);
          continue;
        }
        if (lease && lease.leaseUntil > now) break;
        const next = await this.insertLease({
          _id: `${event.id}#${(lease?.generation ?? 0) + 1}`,
          eventId: event.id,
          generation: (lease?.generation ?? 0) + 1,
          owner,
          leaseUntil,
          attempts: lease?.attempts ?? 0,
          claimedAt: now,
          publishedAt: null,
        });
        if (next) {
          claimed.push({
            aggregateId: document._id,
            event,
            attempts: next.attempts,
            owner,
            leaseId: next._id,
            leaseUntil,
          });
        }
        // Only the oldest pending event of an aggregate, so its events keep their order.
        break;
      }
    }
    return claimed;
  }

  async markPublished(claimed: ClaimedOutboxEvent, now: Date): Promise<void> {
    // The lease first: a claimer that read the aggregate before the removal then sees it published.
    await this.leases.updateOne({ _id: claimed.leaseId }, { $set: { publishedAt: now } });
    await this.removeFromAggregate(claimed.aggregateId, claimed.event);
  }

  async recordFailedAttempt(claimed: ClaimedOutboxEvent, failure: FailedAttempt): Promise<void> {
    await this.leases.updateOne(
      { _id: claimed.leaseId, owner: claimed.owner, publishedAt: null },
      {
        $set: {
          attempts: claimed.attempts + 1,
          failedAt: failure.now,
          lastError: failure.error,
          leaseUntil: failure.nextAttemptAt,
        },
      },
    );
  }

  async release(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void> {
    if (claimed.length === 0) return;
    await this.leases.updateMany(
      { _id: { $in: claimed.map((one) => one.leaseId) }, publishedAt: null },
      { $set: { leaseUntil: now, releasedAt: now } },
    );
  }

  /**
   * Deletes the lease records of events published before `before`. Keep `before` well behind the
   * present (an hour): a claimer that read an aggregate just before the event's removal relies on
   * the published lease to skip it.
   */
  async purgeLeasesPublishedBefore(before: Date): Promise<number> {
    const published = await this.leases
      .find({ publishedAt: { $lt: before } }, { projection: { eventId: 1 } })
      .toArray();
    if (published.length === 0) return 0;
    const result = await this.leases.deleteMany({
      eventId: { $in: [...new Set(published.map((lease) => lease.eventId))] },
    });
    return result.deletedCount;
  }

  private async scan(count: number): Promise<AggregateDocument[]> {
    const withPending: Filter<AggregateDocument> = { 'outbox.state': 'pending' } as Filter<AggregateDocument>;
    const projection = { outbox: 1 };
    const after = this.scanAfter;
    const page = await this.aggregates
      .find(after === undefined ? withPending : { ...withPending, _id: { $gt: after } }, { projection })
      .sort({ _id: 1 })
      .limit(count)
      .toArray();
    if (page.length < count && after !== undefined) {
      const wrapped = await this.aggregates
        .find({ ...withPending, _id: { $lte: after } }, { projection })
        .sort({ _id: 1 })
        .limit(count - page.length)
        .toArray();
      page.push(...wrapped);
    }
    this.scanAfter = page.length < count ? undefined : page[page.length - 1]?._id;
    return page;
  }

  private async latestLeases(eventIds: string[]): Promise<Map<string, LeaseDocument>> {
    const latest = new Map<string, LeaseDocument>();
    if (eventIds.length === 0) return latest;
    for (const lease of await this.leases.find({ eventId: { $in: eventIds } }).toArray()) {
      const known = latest.get(lease.eventId);
      if (!known || lease.generation > known.generation) latest.set(lease.eventId, lease);
    }
    return latest;
  }

  private async insertLease(lease: LeaseDocument): Promise<LeaseDocument | undefined> {
    try {
      await this.leases.insertOne(lease);
      return lease;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === duplicateKey) return undefined;
      throw error;
    }
  }

  /** An exact whole-element `$pull` of the event as read: the one form of `$pull` FerretDB honours. */
  private async removeFromAggregate(aggregateId: string, event: Readonly<StoredOutboxEvent>): Promise<void> {
    await this.aggregates.updateOne({ _id: aggregateId }, { $pull: { outbox: event } } as never);
  }
}

function pendingOf(document: AggregateDocument): StoredOutboxEvent[] {
  return (document.outbox ?? []).filter((event) => event.state === 'pending');
}
