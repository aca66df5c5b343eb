import type { ClaimedOutboxEvent, OutboxDocument, StoredOutboxEvent } from './outbox-event';
import type { ClaimRequest, FailedAttempt, OutboxStore } from './outbox-store.port';

/** The relay's record of one event: who holds it, until when, and how often publishing failed. */
interface EventLease {
  generation: number;
  owner: string;
  leaseUntil: Date;
  attempts: number;
  published: boolean;
}

/**
 * The embedded profile's outbox. It reads the `outbox` arrays of the documents in the map it is
 * given, so an in-memory repository can share its map and keep writing state and events together.
 * Every method runs its check and its change without an await in between, which makes each one
 * atomic in a single Node process.
 */
export class InMemoryOutboxStore implements OutboxStore {
  private readonly leases = new Map<string, EventLease>();

  constructor(readonly documents: Map<string, OutboxDocument> = new Map()) {}

  async ensureIndexes(): Promise<void> {
    // A map keyed by event id is its own unique index.
  }

  async claim({ owner, limit, leaseMs, now }: ClaimRequest): Promise<ClaimedOutboxEvent[]> {
    const claimed: ClaimedOutboxEvent[] = [];
    for (const [aggregateId, document] of this.documents) {
      if (claimed.length >= limit) break;
      const head = this.headOf(aggregateId, document);
      if (!head) continue;
      const lease = this.leases.get(head.id);
      if (lease && lease.leaseUntil > now) continue;
      const next: EventLease = {
        generation: (lease?.generation ?? 0) + 1,
        owner,
        leaseUntil: new Date(now.getTime() + leaseMs),
        attempts: lease?.attempts ?? 0,
        published: false,
      };
      this.leases.set(head.id, next);
      claimed.push({
        aggregateId,
        event: structuredClone(head),
        attempts: next.attempts,
        owner,
        leaseId: `${head.id}#${next.generation}`,
        leaseUntil: next.leaseUntil,
      });
    }
    return claimed;
  }

  async markPublished(claimed: ClaimedOutboxEvent): Promise<void> {
    const lease = this.leases.get(claimed.event.id);
    if (lease) lease.published = true;
    this.removeEvent(claimed.aggregateId, claimed.event.id);
  }

  async recordFailedAttempt(claimed: ClaimedOutboxEvent, failure: FailedAttempt): Promise<void> {
    const lease = this.currentLeaseOf(claimed);
    if (!lease) return;
    lease.attempts = claimed.attempts + 1;
    lease.leaseUntil = failure.nextAttemptAt;
  }

  async release(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void> {
    for (const one of claimed) {
      const lease = this.currentLeaseOf(one);
      if (lease) lease.leaseUntil = now;
    }
  }

  /** The oldest pending event, after dropping events whose publication was recorded but not yet removed. */
  private headOf(aggregateId: string, document: OutboxDocument): StoredOutboxEvent | undefined {
    for (const event of document.outbox ?? []) {
      if (event.state !== 'pending') continue;
      if (this.leases.get(event.id)?.published) {
        this.removeEvent(aggregateId, event.id);
        continue;
      }
      return event;
    }
    return undefined;
  }

  /** The lease only while the caller still holds it: a relay whose lease was taken over changes nothing. */
  private currentLeaseOf(claimed: ClaimedOutboxEvent): EventLease | undefined {
    const lease = this.leases.get(claimed.event.id);
    if (!lease || lease.published || `${claimed.event.id}#${lease.generation}` !== claimed.leaseId)
      return undefined;
    return lease.owner === claimed.owner ? lease : undefined;
  }

  private removeEvent(aggregateId: string, eventId: string): void {
    const document = this.documents.get(aggregateId);
    if (!document?.outbox) return;
    this.documents.set(aggregateId, {
      ...document,
      outbox: document.outbox.filter((event) => event.id !== eventId),
    });
  }
}
