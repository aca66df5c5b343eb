import type { OutboxDocument, OutboxSignal } from '@platform/messaging';
import type { OutgoingCommand } from '../domain/saga-definition';
import { isFinished, type SagaState } from '../domain/saga-state';
import { toOutboxEvents } from './outbox-events';
import type { SagaStore, SaveContext } from './saga-store.port';

export type SagaDocument = OutboxDocument & Record<string, unknown>;

/**
 * The embedded profile's store. Share its map with an InMemoryOutboxStore (and the aggregate's own
 * repository): the state and its commands are written to one document with no await in between,
 * which makes the write atomic in one Node process. `written` (that outbox store's signal) is
 * notified after each save that added commands, so its relay publishes them at once.
 */
export class InMemorySagaStore implements SagaStore {
  constructor(
    readonly documents: Map<string, SagaDocument> = new Map(),
    private readonly field = 'saga',
    private readonly written?: OutboxSignal,
  ) {}

  async ensureIndexes(): Promise<void> {
    // Nothing to index in a map.
  }

  async load<TData>(sagaId: string): Promise<SagaState<TData> | undefined> {
    const state = this.stateOf(sagaId);
    return state && (structuredClone(state) as SagaState<TData>);
  }

  async save(
    state: SagaState<unknown>,
    commands: readonly OutgoingCommand[],
    context: SaveContext,
  ): Promise<boolean> {
    const current = this.stateOf(state.sagaId);
    if ((current?.version ?? 0) !== state.version - 1) return false;
    const document = this.documents.get(state.sagaId) ?? {};
    const events = toOutboxEvents(state.sagaId, commands, context);
    this.documents.set(state.sagaId, {
      ...document,
      [this.field]: structuredClone(state),
      outbox: [...(document.outbox ?? []), ...events],
      ...(events.length > 0 && { outboxPending: true }),
    });
    if (events.length > 0) this.written?.notify({ aggregateId: state.sagaId, events });
    return true;
  }

  async findDue(saga: string, now: number, limit: number): Promise<string[]> {
    return this.unfinished(saga)
      .filter((state) => state.deadline !== null && state.deadline <= now)
      .slice(0, limit)
      .map((state) => state.sagaId);
  }

  async findUnfinished(saga: string): Promise<string[]> {
    return this.unfinished(saga).map((state) => state.sagaId);
  }

  async countUnfinished(saga: string): Promise<number> {
    return this.unfinished(saga).length;
  }

  private unfinished(saga: string): SagaState<unknown>[] {
    return [...this.documents.keys()]
      .map((id) => this.stateOf(id))
      .filter(
        (state): state is SagaState<unknown> =>
          state !== undefined && state.saga === saga && !isFinished(state),
      );
  }

  private stateOf(sagaId: string): SagaState<unknown> | undefined {
    return this.documents.get(sagaId)?.[this.field] as SagaState<unknown> | undefined;
  }
}
