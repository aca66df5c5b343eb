import { randomUUID } from 'node:crypto';
import type { ClaimedOutboxEvent, OutboxDocument, StoredOutboxEvent } from './outbox-event';
import { outboxFieldsOf } from './outbox-fields';
import { OutboxSignal } from './outbox-signal';
import type { ClaimRequest, FailedAttempt, HeadClaimRequest, OutboxStore } from './outbox-store.port';

/** A relay's hold on one event, deleted once the event is published. */
interface EventLease {
  leaseId: string;
  owner: string;
  /** Not claimable again before this: the lease's end, or the next attempt after a failure. */
  leaseUntil: Date;
  attempts: number;
}

/**
 * The embedded profile's outbox. It reads the `outbox`/`outboxPending` fields of the documents in
 * the map it is given, as the MongoDB adapter reads them in a collection, so an in-memory repository
 * shares its map and keeps writing state and events together. Every method runs its check and its
 * change without an await in between, which makes each one atomic in a single Node process.
 */
export class InMemoryOutboxStore implements OutboxStore {
  readonly written = new OutboxSignal();
  private readonly leases = new Map<string, EventLease>();

  constructor(readonly documents: Map<string, OutboxDocument> = new Map()) {}

  async ensureIndexes(): Promise<void> {
    // Maps need no indexes.
  }

  async claim({ owner, limit, leaseMs, now }: ClaimRequest): Promise<ClaimedOutboxEvent[]> {
    const claimed: ClaimedOutboxEvent[] = [];
    for (const [aggregateId, document] of this.documents) {
      if (claimed.length >= limit) break;
      // Only the oldest event of an aggregate, so its events keep their order.
      const head = document.outboxPending ? document.outbox?.[0] : undefined;
      const one = head && this.leaseHead(aggregateId, head, { owner, leaseMs, now });
      if (one) claimed.push(one);
    }
    return claimed;
  }

  async claimHead(
    aggregateId: string,
    event: Readonly<StoredOutboxEvent>,
    request: HeadClaimRequest,
  ): Promise<ClaimedOutboxEvent | undefined> {
    const head = this.documents.get(aggregateId)?.outbox?.[0];
    return head?.id === event.id ? this.leaseHead(aggregateId, head, request) : undefined;
  }

  async markPublished({ aggregateId, event }: ClaimedOutboxEvent): Promise<void> {
    const document = this.documents.get(aggregateId);
    if (document?.outbox) {
      const { outboxPending: _marker, ...rest } = document;
      const waiting = document.outbox.filter((one) => one.id !== event.id);
      this.documents.set(aggregateId, { ...rest, ...outboxFieldsOf(waiting) });
    }
    this.leases.delete(event.id);
  }

  async recordFailedAttempt(claimed: ClaimedOutboxEvent, failure: FailedAttempt): Promise<void> {
    const lease = this.heldLeaseOf(claimed);
    if (!lease) return;
    lease.attempts += 1;
    lease.leaseUntil = failure.nextAttemptAt;
  }

  async release(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void> {
    for (const one of claimed) {
      const lease = this.heldLeaseOf(one);
      if (lease) lease.leaseUntil = now;
    }
  }

  /** Leases an aggregate's oldest event unless a lease on it still runs; attempts carry over. */
  private leaseHead(
    aggregateId: string,
    head: StoredOutboxEvent,
    { owner, leaseMs, now }: HeadClaimRequest,
  ): ClaimedOutboxEvent | undefined {
    const lease = this.leases.get(head.id);
    if (lease && lease.leaseUntil > now) return undefined;
    const next: EventLease = {
      leaseId: randomUUID(),
      owner,
      leaseUntil: new Date(now.getTime() + leaseMs),
      attempts: lease?.attempts ?? 0,
    };
    this.leases.set(head.id, next);
    return {
      aggregateId,
      event: structuredClone(head),
      attempts: next.attempts,
      owner,
      leaseId: next.leaseId,
      leaseUntil: next.leaseUntil,
    };
  }

  /** The lease only while the caller still holds it: a relay whose lease was taken over changes nothing. */
  private heldLeaseOf(claimed: ClaimedOutboxEvent): EventLease | undefined {
    const lease = this.leases.get(claimed.event.id);
    return lease?.leaseId === claimed.leaseId && lease.owner === claimed.owner ? lease : undefined;
  }
}
