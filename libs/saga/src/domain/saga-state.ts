export type SagaStatus = 'RUNNING' | 'COMPENSATING' | 'COMPLETED' | 'CANCELLED' | 'COMPENSATION_FAILED';

export const unfinishedStatuses: readonly SagaStatus[] = ['RUNNING', 'COMPENSATING'];

export interface SagaHistoryEntry {
  from: SagaStatus | null;
  to: SagaStatus;
  step: string;
  at: number;
  reason?: string;
}

/**
 * A saga's persisted state: plain JSON (epoch milliseconds for times) so any store can embed it in
 * its aggregate's document.
 */
export interface SagaState<TData = unknown> {
  sagaId: string;
  saga: string;
  status: SagaStatus;
  data: TData;
  /** The running step (RUNNING), or the step whose compensation is awaited (COMPENSATING). */
  step: string;
  /** When the awaited reply is overdue (epoch ms); null once the saga is finished. */
  deadline: number | null;
  /** Steps whose command was sent, in order: only their replies can be late ones. */
  started: string[];
  /** Steps whose effect happened (success reply received), in order. */
  done: string[];
  /** Steps still to compensate, in the order they will be compensated. */
  toUndo: string[];
  /** Sends of the awaited compensation so far. */
  compensationAttempts: number;
  /** Why the saga is cancelling: a failure reply's reason or TIMEOUT. */
  reason: string | null;
  /** `<step>/<ce_id>` of every reply already handled, so a redelivered reply changes nothing. */
  handledReplies: string[];
  history: SagaHistoryEntry[];
  /** Incremented by every saved transition; stores use it to detect concurrent writers. */
  version: number;
}

export function isFinished(state: SagaState): boolean {
  return !unfinishedStatuses.includes(state.status);
}
