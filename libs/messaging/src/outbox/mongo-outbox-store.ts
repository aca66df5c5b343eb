import { randomUUID } from 'node:crypto';
import type { Collection, Db, Filter } from 'mongodb';
import type { ClaimedOutboxEvent, OutboxDocument, StoredOutboxEvent } from './outbox-event';
import { OutboxSignal } from './outbox-signal';
import type { ClaimRequest, FailedAttempt, HeadClaimRequest, OutboxStore } from './outbox-store.port';

/** A relay's hold on the oldest event of an aggregate: who publishes it, until when, and how often publishing failed. */
interface OutboxLease {
  eventId: string;
  /** This claim's own id: a relay whose lease was taken over can no longer change it. */
  leaseId: string;
  owner: string;
  /** The event is not claimable again before this: the lease's end, or the next attempt after a failure. */
  leaseUntil: Date;
  /** Failed publish attempts of `eventId`. */
  attempts: number;
  failedAt?: Date;
  lastError?: string;
}

/** The fields of an aggregate this store reads and writes; the repository writes the rest. */
type AggregateDocument = OutboxDocument & { _id: string; outboxLease?: OutboxLease };

export interface MongoOutboxStoreOptions {
  /** How many aggregates with pending events one claim looks at, as a multiple of its limit. */
  scanFactor?: number;
}

/**
 * Pending events live in the aggregate's own `outbox` array, next to the marker `outboxPending`,
 * so the state change and its events are one single-document write (no transactions needed).
 * Only the oldest event of an aggregate is claimable, so the relay's lease on it lives in the
 * aggregate too (`outboxLease`): a claim is one update guarded by that event still being the oldest
 * and by the lease as the claimer read it, so of concurrent claimers exactly one wins, and an event
 * that was published meanwhile cannot be claimed. Publishing removes the event and its lease in one
 * update, the marker too with the last event. Nothing is kept once an aggregate's events are out.
 */
export class MongoOutboxStore implements OutboxStore {
  readonly written = new OutboxSignal();
  private readonly aggregates: Collection<AggregateDocument>;
  private readonly scanFactor: number;
  /** Where the next scan starts: aggregates are visited round robin, so blocked ones cannot starve the rest. */
  private scanAfter: string | undefined;

  constructor(db: Db, aggregateCollection: string, options: MongoOutboxStoreOptions = {}) {
    this.aggregates = db.collection<AggregateDocument>(aggregateCollection);
    this.scanFactor = options.scanFactor ?? 4;
  }

  async ensureIndexes(): Promise<void> {
    // The marker, then `_id`: a scan reads the entries of waiting aggregates from where the last one stopped.
    await this.aggregates.createIndex({ outboxPending: 1, _id: 1 }, { name: 'outbox_pending' });
  }

  async claim({ owner, limit, leaseMs, now }: ClaimRequest): Promise<ClaimedOutboxEvent[]> {
    if (limit <= 0) return [];
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const claimable = (await this.scan(limit * this.scanFactor)).flatMap((document) => {
      const head = document.outbox?.[0];
      const lease = document.outboxLease;
      if (!head || (lease?.eventId === head.id && lease.leaseUntil > now)) return [];
      return [{ aggregateId: document._id, head, lease }];
    });
    const claimed: ClaimedOutboxEvent[] = [];
    // Rounds of concurrent claims, until the limit is reached or every candidate was tried.
    let next = 0;
    while (claimed.length < limit && next < claimable.length) {
      const round = claimable.slice(next, next + limit - claimed.length);
      next += round.length;
      const won = await Promise.all(
        round.map(({ aggregateId, head, lease }) => this.lease(aggregateId, head, lease, owner, leaseUntil)),
      );
      claimed.push(...won.flatMap((one) => (one ? [one] : [])));
    }
    return claimed;
  }

  async claimHead(
    aggregateId: string,
    event: Readonly<StoredOutboxEvent>,
    { owner, leaseMs, now }: HeadClaimRequest,
  ): Promise<ClaimedOutboxEvent | undefined> {
    // No lease at all: a lease names the aggregate's head, so any lease is on an older event or on this one.
    return this.lease(aggregateId, event, undefined, owner, new Date(now.getTime() + leaseMs));
  }

  async markPublished({ aggregateId, event }: ClaimedOutboxEvent): Promise<void> {
    // The last waiting event leaves with the marker, in one update that applies only while it is the last.
    const last = await this.aggregates.updateOne(
      { _id: aggregateId, outbox: { $size: 1 }, 'outbox.id': event.id } as Filter<AggregateDocument>,
      { $pull: { outbox: { id: event.id } }, $unset: { outboxPending: '', outboxLease: '' } },
    );
    if (last.matchedCount > 0) return;
    // Guarded by the event: once it is gone, the lease belongs to the next event.
    await this.aggregates.updateOne(
      { _id: aggregateId, 'outbox.id': event.id } as Filter<AggregateDocument>,
      {
        $pull: { outbox: { id: event.id } },
        $unset: { outboxLease: '' },
      },
    );
  }

  async recordFailedAttempt(claimed: ClaimedOutboxEvent, failure: FailedAttempt): Promise<void> {
    await this.aggregates.updateOne(
      {
        _id: claimed.aggregateId,
        'outboxLease.leaseId': claimed.leaseId,
        'outboxLease.owner': claimed.owner,
      } as Filter<AggregateDocument>,
      {
        $inc: { 'outboxLease.attempts': 1 },
        $set: {
          'outboxLease.leaseUntil': failure.nextAttemptAt,
          'outboxLease.failedAt': failure.now,
          'outboxLease.lastError': failure.error,
        },
      },
    );
  }

  async release(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void> {
    if (claimed.length === 0) return;
    await this.aggregates.updateMany(
      {
        _id: { $in: claimed.map((one) => one.aggregateId) },
        'outboxLease.leaseId': { $in: claimed.map((one) => one.leaseId) },
      } as Filter<AggregateDocument>,
      { $set: { 'outboxLease.leaseUntil': now } },
    );
  }

  /**
   * Takes the lease on `head`, on the condition that it is still the oldest event and the lease is
   * still the one read (absent, over, or another event's). Attempts carry over from a lease on the
   * same event.
   */
  private async lease(
    aggregateId: string,
    head: Readonly<StoredOutboxEvent>,
    read: OutboxLease | undefined,
    owner: string,
    leaseUntil: Date,
  ): Promise<ClaimedOutboxEvent | undefined> {
    const lease: OutboxLease = {
      eventId: head.id,
      leaseId: randomUUID(),
      owner,
      leaseUntil,
      attempts: read?.eventId === head.id ? read.attempts : 0,
    };
    const won = await this.aggregates.updateOne(
      {
        _id: aggregateId,
        'outbox.0.id': head.id,
        ...(read ? { 'outboxLease.leaseId': read.leaseId } : { outboxLease: { $exists: false } }),
      } as Filter<AggregateDocument>,
      { $set: { outboxLease: lease } },
    );
    if (won.matchedCount === 0) return undefined;
    return { aggregateId, event: head, attempts: lease.attempts, owner, leaseId: lease.leaseId, leaseUntil };
  }

  private async scan(count: number): Promise<AggregateDocument[]> {
    const waiting: Filter<AggregateDocument> = { outboxPending: true };
    const projection = { outbox: 1, outboxLease: 1 };
    const after = this.scanAfter;
    const page = await this.aggregates
      .find(after === undefined ? waiting : { ...waiting, _id: { $gt: after } }, { projection })
      .sort({ _id: 1 })
      .limit(count)
      .toArray();
    if (page.length < count && after !== undefined) {
      const wrapped = await this.aggregates
        .find({ ...waiting, _id: { $lte: after } }, { projection })
        .sort({ _id: 1 })
        .limit(count - page.length)
        .toArray();
      page.push(...wrapped);
    }
    this.scanAfter = page.length < count ? undefined : page[page.length - 1]?._id;
    return page;
  }
}
