import { randomUUID } from 'node:crypto';
import {
  defaultProcessingLeaseMs,
  InboxEventInProgressError,
  inboxKeyOf,
  type Inbox,
  type InboxOutcome,
} from './inbox.port';

interface ProcessedEventRecord {
  state: 'processing' | 'processed';
  attempt: string;
  leaseUntil: Date;
}

export interface InMemoryInboxOptions {
  /** After it, an attempt whose effect never settled is taken over, as the MongoDB inbox does after a crash. */
  processingLeaseMs?: number;
  clock?: () => Date;
}

/** The embedded profile's inbox: a map of processed keys; check and record happen without an await between them. */
export class InMemoryInbox implements Inbox {
  private readonly records = new Map<string, ProcessedEventRecord>();
  private readonly processingLeaseMs: number;
  private readonly clock: () => Date;

  constructor(options: InMemoryInboxOptions = {}) {
    this.processingLeaseMs = options.processingLeaseMs ?? defaultProcessingLeaseMs;
    this.clock = options.clock ?? (() => new Date());
  }

  async ensureIndexes(): Promise<void> {
    // A map keyed by group and event id is its own unique index.
  }

  async runOnce<T>(
    consumerGroup: string,
    eventId: string,
    effect: () => Promise<T>,
  ): Promise<InboxOutcome<T>> {
    const key = inboxKeyOf(consumerGroup, eventId);
    const now = this.clock();
    const seen = this.records.get(key);
    if (seen?.state === 'processed') return { kind: 'duplicate' };
    if (seen && seen.leaseUntil > now)
      throw new InboxEventInProgressError(consumerGroup, eventId, seen.leaseUntil);
    const attempt = randomUUID();
    this.records.set(key, {
      state: 'processing',
      attempt,
      leaseUntil: new Date(now.getTime() + this.processingLeaseMs),
    });
    let result: T;
    try {
      result = await effect();
    } catch (error) {
      if (this.records.get(key)?.attempt === attempt) this.records.delete(key);
      throw error;
    }
    const current = this.records.get(key);
    if (current?.attempt === attempt) current.state = 'processed';
    return { kind: 'processed', result };
  }
}
