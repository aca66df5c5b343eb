import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { StoredOutboxEvent } from '@platform/messaging';
import type { OutgoingCommand } from '../domain/saga-definition';
import { unfinishedStatuses, type SagaState } from '../domain/saga-state';
import { toOutboxEvents } from './outbox-events';
import type { SagaStore, SaveContext } from './saga-store.port';

/**
 * One saved transition. Its `_id` is `<sagaId>#<version>`: of several writers racing for the same
 * version exactly one insert succeeds (primary keys are atomic on MongoDB and FerretDB alike, a
 * conditional update is not atomic on FerretDB). It is the commit point: it holds the whole write,
 * so a writer that died before updating the aggregate is rolled forward by the next reader.
 */
interface TransitionRecord {
  _id: string;
  sagaId: string;
  version: number;
  state: SagaState<unknown>;
  events: StoredOutboxEvent[];
  savedAt: Date;
}

type AggregateDocument = Record<string, unknown> & { _id: string; outbox?: StoredOutboxEvent[] };

export interface MongoSagaStoreOptions {
  /** The aggregate document's field holding the saga state; `saga` when absent. */
  field?: string;
  /** `<collection>_saga_transitions` when absent. */
  transitionCollection?: string;
  /**
   * How old a transition record must be before a reader completes it in the writer's place: far
   * longer than one write takes, so a live writer is never raced by its own roll-forward.
   */
  rollForwardAfterMs?: number;
  clock?: () => Date;
}

const duplicateKey = 11000;

/** Sagas embedded in a caller-named collection's documents (the aggregate's), commands in their `outbox`. */
export class MongoSagaStore implements SagaStore {
  private readonly aggregates: Collection<AggregateDocument>;
  private readonly transitions: Collection<TransitionRecord>;
  private readonly field: string;
  private readonly rollForwardAfterMs: number;
  private readonly clock: () => Date;

  constructor(db: Db, collection: string, options: MongoSagaStoreOptions = {}) {
    this.aggregates = db.collection<AggregateDocument>(collection);
    this.transitions = db.collection<TransitionRecord>(
      options.transitionCollection ?? `${collection}_saga_transitions`,
    );
    this.field = options.field ?? 'saga';
    this.rollForwardAfterMs = options.rollForwardAfterMs ?? 30_000;
    this.clock = options.clock ?? (() => new Date());
  }

  async ensureIndexes(): Promise<void> {
    await this.aggregates.createIndex(
      { [`${this.field}.saga`]: 1, [`${this.field}.status`]: 1, [`${this.field}.deadline`]: 1 },
      { name: `${this.field}_due` },
    );
    await this.transitions.createIndex({ sagaId: 1, version: -1 }, { name: 'saga_version' });
  }

  async load<TData>(sagaId: string): Promise<SagaState<TData> | undefined> {
    const document = await this.aggregates.findOne({ _id: sagaId }, { projection: { [this.field]: 1 } });
    const saved = document?.[this.field] as SagaState<TData> | undefined;
    const next = await this.transitions.findOne({ _id: `${sagaId}#${(saved?.version ?? 0) + 1}` });
    if (next && this.clock().getTime() - next.savedAt.getTime() >= this.rollForwardAfterMs) {
      // Its writer died between the commit point and the aggregate's update: finish its write.
      await this.apply(next);
      return this.load(sagaId);
    }
    return saved;
  }

  async save(
    state: SagaState<unknown>,
    commands: readonly OutgoingCommand[],
    context: SaveContext,
  ): Promise<boolean> {
    const record: TransitionRecord = {
      _id: `${state.sagaId}#${state.version}`,
      sagaId: state.sagaId,
      version: state.version,
      state,
      events: toOutboxEvents(state.sagaId, commands, context),
      savedAt: context.now,
    };
    // Versions follow each other: a writer that skips one read no saved state and must not commit.
    if (
      state.version > 1 &&
      !(await this.transitions.findOne({ _id: `${state.sagaId}#${state.version - 1}` }))
    )
      return false;
    try {
      await this.transitions.insertOne(record);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === duplicateKey) return false;
      throw error;
    }
    await this.apply(record);
    return true;
  }

  async findDue(saga: string, now: number, limit: number): Promise<string[]> {
    const due = await this.aggregates
      .find(
        { ...this.unfinishedFilter(saga), [`${this.field}.deadline`]: { $lte: now } },
        { projection: { _id: 1 } },
      )
      .limit(limit)
      .toArray();
    return due.map((document) => document._id);
  }

  async findUnfinished(saga: string): Promise<string[]> {
    const unfinished = await this.aggregates
      .find(this.unfinishedFilter(saga), { projection: { _id: 1 } })
      .toArray();
    return unfinished.map((document) => document._id);
  }

  async countUnfinished(saga: string): Promise<number> {
    return this.aggregates.countDocuments(this.unfinishedFilter(saga));
  }

  /**
   * The state and its events in one single-document update, guarded by the previous version, so a
   * repeated apply (a roll-forward) changes nothing once the first one landed. `$addToSet` rather
   * than `$push`: should two applies of one record both pass the guard (FerretDB), the events,
   * identical to the element, are still added once.
   */
  private async apply(record: TransitionRecord): Promise<void> {
    const update = { $set: { [this.field]: record.state }, $addToSet: { outbox: { $each: record.events } } };
    if (record.version > 1) {
      await this.aggregates.updateOne(
        { _id: record.sagaId, [`${this.field}.version`]: record.version - 1 },
        update as never,
      );
      return;
    }
    try {
      // The aggregate may or may not exist yet; a saga already there means this record was applied.
      await this.aggregates.updateOne(
        { _id: record.sagaId, [this.field]: { $exists: false } },
        update as never,
        {
          upsert: true,
        },
      );
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === duplicateKey)) throw error;
    }
  }

  private unfinishedFilter(saga: string): Record<string, unknown> {
    return { [`${this.field}.saga`]: saga, [`${this.field}.status`]: { $in: [...unfinishedStatuses] } };
  }
}
