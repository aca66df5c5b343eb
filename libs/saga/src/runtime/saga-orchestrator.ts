import { Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { findMessageByName, findMessageByType } from '@platform/contracts';
import type { IncomingMessage, Subscription } from '@platform/messaging';
import { replyTypesOf, type OutgoingCommand, type SagaDefinition } from '../domain/saga-definition';
import type { SagaState } from '../domain/saga-state';
import {
  retryReason,
  startSaga,
  transition,
  type SagaEvent,
  type SagaTransition,
} from '../domain/transition';
import type { SagaStore } from '../store/saga-store.port';
import { sagaMetrics, type SagaMetrics } from './saga-metrics';

export interface SagaLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SagaOrchestratorOptions<TData> {
  definition: SagaDefinition<TData>;
  store: SagaStore;
  metrics?: Registry;
  logger?: SagaLogger;
  /** Epoch milliseconds; Date.now when absent. */
  clock?: () => number;
  /** Reloads after losing a race with another writer of the same saga; 20 when absent. */
  maxConflictRetries?: number;
  /** Sagas handled per tick. */
  tickBatchSize?: number;
  /**
   * Called after each transition this orchestrator saved (a started saga included), with the new
   * state: the place to tell readers of the aggregate that it changed.
   */
  onSaved?: (state: SagaState<TData>) => void;
}

/** A saga's first state and commands, for its aggregate's repository to save in its own write. */
export interface SagaStart<TData> {
  state: SagaState<TData>;
  commands: OutgoingCommand[];
}

/** Runs one saga definition over a store: starts instances, feeds them replies and the clock. */
export class SagaOrchestrator<TData> {
  private readonly definition: SagaDefinition<TData>;
  private readonly store: SagaStore;
  private readonly logger: SagaLogger;
  private readonly clock: () => number;
  private readonly metrics: SagaMetrics | undefined;
  private readonly maxConflictRetries: number;
  private readonly tickBatchSize: number;
  private readonly onSaved: ((state: SagaState<TData>) => void) | undefined;

  constructor(options: SagaOrchestratorOptions<TData>) {
    this.definition = options.definition;
    this.store = options.store;
    this.logger = options.logger ?? new Logger(`saga.${options.definition.name}`);
    this.clock = options.clock ?? Date.now;
    this.maxConflictRetries = options.maxConflictRetries ?? 20;
    this.tickBatchSize = options.tickBatchSize ?? 100;
    this.onSaved = options.onSaved;
    this.metrics = options.metrics && sagaMetrics(options.metrics);
    this.metrics?.watchInProgress(this.definition.name, () =>
      this.store.countUnfinished(this.definition.name),
    );
  }

  /**
   * A new instance's first state (version 1) and commands, not saved: its aggregate's repository
   * saves them in the same write that creates the aggregate (an order and its saga in one insert),
   * then calls `started`. Use `start` where the aggregate exists already.
   */
  begin(sagaId: string, data: TData): SagaStart<TData> {
    const { state, commands } = startSaga(this.definition, sagaId, data, this.clock());
    return { state: { ...state, version: 1 }, commands };
  }

  /** Records a start that `begin` prepared and the caller saved. */
  started(state: SagaState<TData>): void {
    this.saved(undefined, state);
  }

  /** Starts the saga once: starting an id that exists returns its state and sends nothing. */
  async start(sagaId: string, data: TData, traceparent?: string): Promise<SagaState<TData>> {
    const existing = await this.store.load<TData>(sagaId);
    if (existing) return existing;
    const { state, commands } = this.begin(sagaId, data);
    if (await this.store.save(state, commands, { now: new Date(this.clock()), traceparent })) {
      this.saved(undefined, state);
      return state;
    }
    // Another instance started it at the same moment.
    return (await this.store.load<TData>(sagaId))!;
  }

  /** The handler of a reply message: the saga is the message's correlation id (or its key). */
  async handleReply(message: IncomingMessage): Promise<void> {
    const sagaId = message.correlationId ?? message.key;
    const type = findMessageByType(message.topic, message.type)?.name ?? message.type;
    await this.apply(
      sagaId,
      { kind: 'reply', reply: { id: message.id, type, data: message.data } },
      message.traceparent,
    );
  }

  /** Fires the deadlines that passed; run it on an interval. Resolves the number of sagas looked at. */
  async tick(): Promise<number> {
    const due = await this.store.findDue(this.definition.name, this.clock(), this.tickBatchSize);
    for (const sagaId of due) await this.applySafely(sagaId, { kind: 'deadline' });
    return due.length;
  }

  /** On start: every unfinished saga is reloaded (completing a half-done write) and its deadline checked. */
  async resumeUnfinished(): Promise<number> {
    const unfinished = await this.store.findUnfinished(this.definition.name);
    for (const sagaId of unfinished) await this.applySafely(sagaId, { kind: 'deadline' });
    if (unfinished.length > 0)
      this.logger.log(`resumed ${unfinished.length} unfinished ${this.definition.name} sagas`);
    return unfinished.length;
  }

  /** A subscription for every reply the saga declares, on each reply's own topic. */
  subscription(groupId: string): Subscription {
    const handlers = replyTypesOf(this.definition as SagaDefinition<unknown>).map((name) => {
      const definition = findMessageByName(name);
      if (!definition)
        throw new Error(`saga ${this.definition.name}: reply ${name} is not in @platform/contracts`);
      return {
        topic: definition.topic,
        type: definition.type,
        handle: (message: IncomingMessage) => this.handleReply(message),
      };
    });
    return { groupId, handlers };
  }

  private async applySafely(sagaId: string, event: SagaEvent): Promise<void> {
    try {
      await this.apply(sagaId, event);
    } catch (error) {
      // One saga's failure must not stop the others; the next tick tries it again.
      this.logger.error(`saga ${this.definition.name} ${sagaId}: ${event.kind} failed: ${String(error)}`);
    }
  }

  private async apply(sagaId: string, event: SagaEvent, traceparent?: string): Promise<void> {
    for (let attempt = 0; attempt <= this.maxConflictRetries; attempt++) {
      const current = await this.store.load<TData>(sagaId);
      if (!current) {
        this.logger.warn(`saga ${this.definition.name} ${sagaId} is unknown; ${event.kind} ignored`);
        return;
      }
      const next: SagaTransition<TData> = transition(this.definition, current, event, this.clock());
      if (!next.changed) return;
      const state = { ...next.state, version: current.version + 1 };
      if (await this.store.save(state, next.commands, { now: new Date(this.clock()), traceparent })) {
        this.saved(current, state);
        return;
      }
      // Another writer saved first: decide again on its state (the event may now be a duplicate).
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
    throw new Error(
      `saga ${this.definition.name} ${sagaId}: gave up after ${this.maxConflictRetries} conflicting writes`,
    );
  }

  private saved(previous: SagaState<TData> | undefined, state: SagaState<TData>): void {
    this.observe(previous, state);
    this.onSaved?.(state);
  }

  private observe(previous: SagaState<TData> | undefined, state: SagaState<TData>): void {
    const from = previous?.status ?? 'NONE';
    if (from !== state.status)
      this.metrics?.transitions.inc({ saga: this.definition.name, from, to: state.status });
    const latest = state.history.at(-1);
    if (previous && state.history.length > previous.history.length && latest?.reason === retryReason) {
      this.metrics?.stepRetries.inc({ saga: this.definition.name, step: state.step });
      this.logger.warn(
        `saga ${this.definition.name} ${state.sagaId}: no reply to ${state.step} by its deadline; its command is sent again`,
      );
    }
    if (state.status === 'COMPENSATION_FAILED' && from !== 'COMPENSATION_FAILED') {
      this.metrics?.compensationFailed.inc({ saga: this.definition.name });
      this.logger.error(
        `saga ${this.definition.name} ${state.sagaId} parked in COMPENSATION_FAILED: compensation of ${state.step} failed ${state.compensationAttempts} times (reason ${state.reason ?? 'none'})`,
      );
    }
  }
}
