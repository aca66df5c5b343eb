import type { SagaState } from './saga-state';

/** A command the saga sends: a message short name of @platform/contracts and its payload. */
export interface OutgoingCommand {
  type: string;
  data: unknown;
}

/** A reply as the saga sees it: the message's `ce_id`, its short name and its payload. */
export interface SagaReply {
  id: string;
  type: string;
  data: unknown;
}

/** What a reply means for its step; a custom handler may also update the saga's data. */
export type ReplyOutcome<TData> = 'success' | { fail: string } | { success: true; data: TData };

export type ReplyHandler<TData> =
  ReplyOutcome<TData> | ((reply: SagaReply, data: TData) => ReplyOutcome<TData>);

/** Why a compensation is sent; a late success reply comes with the reply itself. */
export type CompensationCause =
  { kind: 'failure'; reason: string } | { kind: 'timeout' } | { kind: 'late-reply'; reply: SagaReply };

export interface SagaCompensation<TData> {
  command: (data: TData, cause: CompensationCause) => OutgoingCommand;
  /**
   * Replies confirming the compensation. Without them the compensation counts as done once sent
   * (the outbox delivers it and the participant retries it); with them the saga waits, re-sends on
   * a failure reply or deadline, and parks in COMPENSATION_FAILED after the definition's attempts.
   */
  replies?: Record<string, 'success' | 'failure'>;
  timeoutMs?: number;
}

export interface SagaStep<TData> {
  name: string;
  command: (data: TData) => OutgoingCommand;
  replies: Record<string, ReplyHandler<TData>>;
  compensation?: SagaCompensation<TData>;
  timeoutMs: number;
  /**
   * The step's effect may have happened when no reply came before its deadline (a payment in
   * doubt): a timeout then compensates this step as well as the done ones.
   */
  compensateOnTimeout?: boolean;
  /**
   * The step must succeed once the saga has reached it (a retriable step after the pivot: stock
   * commit after the payment): a deadline re-sends its command, after its timeout, then twice
   * that, and so on up to 8×, instead of undoing the saga. Its participant must be idempotent.
   */
  retryOnTimeout?: boolean;
}

/**
 * The saga's own outcome messages (OrderConfirmed, OrderCancelled), given the finished state. They
 * are added to the commands of the transition that makes the saga COMPLETED or CANCELLED, so they
 * are saved with that state in one write: published if and only if the outcome was saved.
 */
export type OutcomeMessages<TData> = (state: SagaState<TData>) => OutgoingCommand[];

/**
 * Messages announcing that an instance started (an order's OrderPlaced), saved with its first state
 * and sent before its first command: published if and only if the saga started.
 */
export type StartMessages<TData> = (state: SagaState<TData>) => OutgoingCommand[];

export interface SagaDefinition<TData> {
  name: string;
  steps: readonly SagaStep<TData>[];
  /** Sends of one compensation before the saga parks in COMPENSATION_FAILED; 5 when absent. */
  maxCompensationAttempts: number;
  onStarted?: StartMessages<TData>;
  onFinished?: OutcomeMessages<TData>;
}

export interface SagaDefinitionInput<TData> {
  name: string;
  steps: readonly SagaStep<TData>[];
  maxCompensationAttempts?: number;
  onStarted?: StartMessages<TData>;
  onFinished?: OutcomeMessages<TData>;
}

/** Checks a saga declaration once, at start-up, so mistakes fail loudly rather than mid-saga. */
export function defineSaga<TData>(input: SagaDefinitionInput<TData>): SagaDefinition<TData> {
  if (input.steps.length === 0) throw new Error(`saga ${input.name} has no steps`);
  const names = new Set<string>();
  const replyOwners = new Map<string, string>();
  for (const step of input.steps) {
    if (names.has(step.name)) throw new Error(`saga ${input.name} declares step ${step.name} twice`);
    names.add(step.name);
    if (!(step.timeoutMs > 0))
      throw new Error(`step ${step.name} of saga ${input.name} needs a positive timeoutMs`);
    if (step.retryOnTimeout && step.compensateOnTimeout)
      throw new Error(
        `step ${step.name} of saga ${input.name} cannot both retry and compensate on a timeout`,
      );
    const replyTypes = [...Object.keys(step.replies), ...Object.keys(step.compensation?.replies ?? {})];
    for (const type of replyTypes) {
      // A reply type must identify one step, or a reply could not be routed.
      const owner = replyOwners.get(type);
      if (owner !== undefined)
        throw new Error(`saga ${input.name}: reply ${type} is declared by steps ${owner} and ${step.name}`);
      replyOwners.set(type, step.name);
    }
  }
  const maxCompensationAttempts = input.maxCompensationAttempts ?? 5;
  if (!(maxCompensationAttempts >= 1))
    throw new Error(`saga ${input.name}: maxCompensationAttempts must be ≥ 1`);
  return Object.freeze({
    name: input.name,
    steps: input.steps,
    maxCompensationAttempts,
    ...(input.onStarted && { onStarted: input.onStarted }),
    ...(input.onFinished && { onFinished: input.onFinished }),
  });
}

/** Every reply type the saga listens to: the steps' replies and their compensations' replies. */
export function replyTypesOf(definition: SagaDefinition<unknown>): string[] {
  return definition.steps.flatMap((step) => [
    ...Object.keys(step.replies),
    ...Object.keys(step.compensation?.replies ?? {}),
  ]);
}
