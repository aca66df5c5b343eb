import { randomUUID } from 'node:crypto';
import type { Collection, Db, Document, Filter, UpdateFilter } from 'mongodb';
import { isDuplicateKeyError } from '@platform/persistence';
import {
  defaultProcessingLeaseMs,
  InboxEventInProgressError,
  inboxKeyOf,
  type Inbox,
  type InboxOutcome,
} from './inbox.port';

/** One event seen by one consumer group; `_id` is `<group>:<eventId>`, so recording it is an insert that only one caller wins. */
interface ProcessedEventDocument {
  _id: string;
  consumerGroup: string;
  eventId: string;
  state: 'processing' | 'processed';
  /** Distinguishes this attempt from a later one that took over after a crash. */
  attempt: string;
  /** A `processing` record older than this belongs to a consumer that died mid-effect. */
  leaseUntil: Date;
  startedAt: Date;
  processedAt?: Date;
}

export interface MongoInboxOptions {
  collection?: string;
  /** Longer than any effect takes; after it, a crashed attempt's record is taken over. */
  processingLeaseMs?: number;
  clock?: () => Date;
}

/** An effect that is a single update of one document, which also records the event in that document. */
export interface SingleDocumentEffect<TSchema extends Document> {
  collection: Collection<TSchema>;
  documentId: TSchema['_id'];
  /** Conditions the document must meet for the update to apply (a state guard); the inbox marker is added to them. */
  guard?: Filter<TSchema>;
  update: UpdateFilter<TSchema>;
  /** The array field holding the processed events' keys. */
  inboxField?: string;
}

/** 'already-applied' is the document saying so after a crash between its update and the inbox record. */
export type SingleDocumentResult = 'applied' | 'already-applied' | 'not-matched';

/**
 * The MongoDB inbox. Recording an event is an insert keyed by group and event id, so of concurrent
 * deliveries the unique `_id` lets exactly one in; a record left by a consumer that died mid-effect
 * is taken over with one update conditional on its lease being over. The record cannot share an
 * atomic write with an effect in another document, so `applyOnceToDocument` also puts the key into
 * the effect's own document.
 */
export class MongoInbox implements Inbox {
  private readonly records: Collection<ProcessedEventDocument>;
  private readonly processingLeaseMs: number;
  private readonly clock: () => Date;

  constructor(db: Db, options: MongoInboxOptions = {}) {
    this.records = db.collection<ProcessedEventDocument>(options.collection ?? 'inbox_processed_events');
    this.processingLeaseMs = options.processingLeaseMs ?? defaultProcessingLeaseMs;
    this.clock = options.clock ?? (() => new Date());
  }

  async ensureIndexes(): Promise<void> {
    // The unique `_id` is the only index the inbox needs.
  }

  async runOnce<T>(
    consumerGroup: string,
    eventId: string,
    effect: () => Promise<T>,
  ): Promise<InboxOutcome<T>> {
    const attempt = await this.begin(consumerGroup, eventId);
    if (attempt === 'processed') return { kind: 'duplicate' };
    const _id = inboxKeyOf(consumerGroup, eventId);
    let result: T;
    try {
      result = await effect();
    } catch (error) {
      // Forget the attempt, so the redelivery runs the effect again.
      await this.records.deleteOne({ _id, attempt });
      throw error;
    }
    await this.records.updateOne(
      { _id, attempt },
      { $set: { state: 'processed', processedAt: this.clock() } },
    );
    return { kind: 'processed', result };
  }

  /**
   * Applies `update` to one document at most once per event and group. The standalone record keeps
   * concurrent deliveries apart; the key written into the document in the same update makes the
   * effect and its record one atomic write, so a crash between the update and the standalone
   * record's completion cannot apply it twice.
   */
  async applyOnceToDocument<TSchema extends Document>(
    consumerGroup: string,
    eventId: string,
    effect: SingleDocumentEffect<TSchema>,
  ): Promise<InboxOutcome<SingleDocumentResult>> {
    const key = inboxKeyOf(consumerGroup, eventId);
    const field = effect.inboxField ?? 'inbox';
    return this.runOnce(consumerGroup, eventId, async () => {
      const update = {
        ...effect.update,
        $push: { ...(effect.update.$push ?? {}), [field]: key },
      } as UpdateFilter<TSchema>;
      const filter = {
        ...(effect.guard ?? {}),
        _id: effect.documentId,
        [field]: { $ne: key },
      } as Filter<TSchema>;
      const applied = await effect.collection.updateOne(filter, update);
      if (applied.modifiedCount > 0) return 'applied';
      const marked = await effect.collection.findOne({
        _id: effect.documentId,
        [field]: key,
      } as Filter<TSchema>);
      return marked ? 'already-applied' : 'not-matched';
    });
  }

  /** Records the start of an attempt, or says the event was processed; throws while another attempt runs. */
  private async begin(consumerGroup: string, eventId: string): Promise<string | 'processed'> {
    const _id = inboxKeyOf(consumerGroup, eventId);
    // Twice at most: a record seen at the insert may be forgotten (its effect failed) before it is read.
    for (let tries = 0; tries < 2; tries += 1) {
      const now = this.clock();
      const attempt = randomUUID();
      const leaseUntil = new Date(now.getTime() + this.processingLeaseMs);
      try {
        await this.records.insertOne({
          _id,
          consumerGroup,
          eventId,
          state: 'processing',
          attempt,
          leaseUntil,
          startedAt: now,
        });
        return attempt;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      // An attempt whose consumer died mid-effect: of concurrent deliveries, one takes it over.
      const takenOver = await this.records.updateOne(
        { _id, state: 'processing', leaseUntil: { $lte: now } },
        { $set: { attempt, leaseUntil, startedAt: now } },
      );
      if (takenOver.matchedCount > 0) return attempt;
      const seen = await this.records.findOne({ _id });
      if (seen?.state === 'processed') return 'processed';
      if (seen) throw new InboxEventInProgressError(consumerGroup, eventId, seen.leaseUntil);
    }
    throw new InboxEventInProgressError(consumerGroup, eventId);
  }
}
