import type { OutgoingCommand } from '../domain/saga-definition';
import type { SagaState } from '../domain/saga-state';

export interface SaveContext {
  now: Date;
  /** W3C trace context of the message or request that caused the transition; the relay continues it. */
  traceparent?: string | null;
  tracestate?: string | null;
}

/**
 * Where sagas live: each with its aggregate, its commands in the same document's `outbox` array, so
 * a command is published (by the outbox relay) if and only if the state that caused it was saved.
 * The aggregate's own repository implements it (apps/order's for the order saga: the order
 * document has one writer), with a version guard; every implementation passes the contract suite
 * of test/saga-store.contract.ts, as the in-memory store here does.
 */
export interface SagaStore {
  ensureIndexes(): Promise<void>;
  load<TData>(sagaId: string): Promise<SagaState<TData> | undefined>;
  /**
   * Saves `state` as version `state.version` (the loaded version + 1; 1 for a new saga) together
   * with its commands, atomically. Resolves false, saving nothing, when another writer saved that
   * version first: the caller reloads and decides again.
   */
  save(
    state: SagaState<unknown>,
    commands: readonly OutgoingCommand[],
    context: SaveContext,
  ): Promise<boolean>;
  /** Ids of the saga's unfinished instances whose deadline is at or before `now` (epoch ms). */
  findDue(saga: string, now: number, limit: number): Promise<string[]>;
  /** Ids of every unfinished instance of the saga, for resuming after a restart. */
  findUnfinished(saga: string): Promise<string[]>;
  countUnfinished(saga: string): Promise<number>;
}
