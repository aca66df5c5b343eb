import type {
  CompensationCause,
  OutgoingCommand,
  ReplyHandler,
  SagaDefinition,
  SagaReply,
  SagaStep,
} from './saga-definition';
import { isFinished, type SagaState, type SagaStatus } from './saga-state';

export type SagaEvent = { kind: 'reply'; reply: SagaReply } | { kind: 'deadline' };

/** The next state and the commands to send with it; `changed` false means: save nothing, send nothing. */
export interface SagaTransition<TData> {
  state: SagaState<TData>;
  commands: OutgoingCommand[];
  changed: boolean;
}

export const timeoutReason = 'TIMEOUT';
/** The history reason of a retriable step's command sent again after its deadline. */
export const retryReason = 'RETRY';
/** A retriable step's wait doubles at each re-send, up to 2³ × its timeout. */
const maxRetryDoublings = 3;

/** A new saga: its first step's command is sent with the state that records it. */
export function startSaga<TData>(
  definition: SagaDefinition<TData>,
  sagaId: string,
  data: TData,
  now: number,
): SagaTransition<TData> {
  const first = definition.steps[0]!;
  const state: SagaState<TData> = {
    sagaId,
    saga: definition.name,
    status: 'RUNNING',
    data,
    step: first.name,
    deadline: now + first.timeoutMs,
    started: [first.name],
    done: [],
    toUndo: [],
    compensationAttempts: 0,
    reason: null,
    handledReplies: [],
    history: [{ from: null, to: 'RUNNING', step: first.name, at: now }],
    version: 0,
  };
  return { state, commands: [...(definition.onStarted?.(state) ?? []), first.command(data)], changed: true };
}

/** The saga's reaction to a reply or to the clock; pure, so every branch is tested without I/O. */
export function transition<TData>(
  definition: SagaDefinition<TData>,
  state: SagaState<TData>,
  event: SagaEvent,
  now: number,
): SagaTransition<TData> {
  const next =
    event.kind === 'reply'
      ? onReply(definition, state, event.reply, now)
      : onDeadline(definition, state, now);
  return withOutcomeMessages(definition, state, next);
}

/** The statuses whose outcome the saga announces; COMPENSATION_FAILED is no outcome but an alert. */
const announcedOutcomes: readonly SagaStatus[] = ['COMPLETED', 'CANCELLED'];

/** Adds the definition's outcome messages to the transition that reaches an outcome, and only that one. */
function withOutcomeMessages<TData>(
  definition: SagaDefinition<TData>,
  previous: SagaState<TData>,
  next: SagaTransition<TData>,
): SagaTransition<TData> {
  const reachedNow =
    next.changed && next.state.status !== previous.status && announcedOutcomes.includes(next.state.status);
  if (!reachedNow || !definition.onFinished) return next;
  return { ...next, commands: [...next.commands, ...definition.onFinished(next.state)] };
}

function onReply<TData>(
  definition: SagaDefinition<TData>,
  state: SagaState<TData>,
  reply: SagaReply,
  now: number,
): SagaTransition<TData> {
  const located = locateReply(definition, reply.type);
  if (!located) return unchanged(state);
  const { step, index, role } = located;
  const key = `${step.name}/${reply.id}`;
  if (state.handledReplies.includes(key)) return unchanged(state);
  const handled = { ...state, handledReplies: [...state.handledReplies, key] };

  if (role === 'compensation') {
    if (state.status !== 'COMPENSATING' || state.step !== step.name) return unchanged(state);
    return step.compensation?.replies?.[reply.type] === 'success'
      ? compensateNext(definition, { ...handled, toUndo: handled.toUndo.slice(1) }, now, [])
      : retryCompensation(definition, handled, now);
  }

  const outcome = resolve(step.replies[reply.type]!, reply, state.data);
  if (state.status === 'RUNNING' && state.step === step.name) {
    if ('fail' in outcome) return beginCompensation(definition, handled, outcome.fail, false, now);
    return advance(
      definition,
      { ...handled, data: outcome.data, done: [...handled.done, step.name] },
      index,
      now,
    );
  }
  // A success that arrives after the saga gave up on its step: that effect must be undone too.
  const late =
    state.status !== 'RUNNING' &&
    !('fail' in outcome) &&
    step.compensation !== undefined &&
    state.started.includes(step.name) &&
    !state.done.includes(step.name);
  if (!late) return unchanged(state);
  const command = step.compensation!.command(state.data, { kind: 'late-reply', reply });
  return {
    state: record(handled, state.status, step.name, now, 'LATE_REPLY'),
    commands: [command],
    changed: true,
  };
}

function onDeadline<TData>(
  definition: SagaDefinition<TData>,
  state: SagaState<TData>,
  now: number,
): SagaTransition<TData> {
  if (isFinished(state) || state.deadline === null || now < state.deadline) return unchanged(state);
  if (state.status === 'COMPENSATING') return retryCompensation(definition, state, now);
  const current = stepNamed(definition, state.step);
  if (current.retryOnTimeout) return retryStep(state, current, now);
  return beginCompensation(definition, state, timeoutReason, current.compensateOnTimeout === true, now);
}

/** Sends a retriable step's command again and waits longer; the history keeps one RETRY per send. */
function retryStep<TData>(
  state: SagaState<TData>,
  step: SagaStep<TData>,
  now: number,
): SagaTransition<TData> {
  const retries = state.history.filter((entry) => entry.step === step.name && entry.reason === retryReason);
  const wait = step.timeoutMs * 2 ** Math.min(retries.length + 1, maxRetryDoublings);
  const waiting = { ...state, deadline: now + wait };
  return {
    state: record(waiting, 'RUNNING', step.name, now, retryReason),
    commands: [step.command(state.data)],
    changed: true,
  };
}

function advance<TData>(
  definition: SagaDefinition<TData>,
  state: SagaState<TData>,
  index: number,
  now: number,
): SagaTransition<TData> {
  const next = definition.steps[index + 1];
  if (!next) {
    const completed = { ...state, deadline: null };
    return { state: record(completed, 'COMPLETED', state.step, now), commands: [], changed: true };
  }
  const running: SagaState<TData> = {
    ...state,
    step: next.name,
    deadline: now + next.timeoutMs,
    started: [...state.started, next.name],
  };
  return {
    state: record(running, 'RUNNING', next.name, now),
    commands: [next.command(state.data)],
    changed: true,
  };
}

/** Undo in reverse: the in-doubt current step first (on a timeout), then the done steps, newest first. */
function beginCompensation<TData>(
  definition: SagaDefinition<TData>,
  state: SagaState<TData>,
  reason: string,
  includeCurrent: boolean,
  now: number,
): SagaTransition<TData> {
  const candidates = [...(includeCurrent ? [state.step] : []), ...[...state.done].reverse()];
  const toUndo = candidates.filter((name) => stepNamed(definition, name).compensation !== undefined);
  const compensating = record({ ...state, reason, toUndo }, 'COMPENSATING', state.step, now, reason);
  return compensateNext(definition, compensating, now, []);
}

/**
 * Sends the compensations still to do, up to the first one that awaits a confirmation; with none
 * left, the saga is cancelled.
 */
function compensateNext<TData>(
  definition: SagaDefinition<TData>,
  state: SagaState<TData>,
  now: number,
  commands: OutgoingCommand[],
): SagaTransition<TData> {
  let current = state;
  while (current.toUndo.length > 0) {
    const step = stepNamed(definition, current.toUndo[0]!);
    const compensation = step.compensation!;
    commands.push(compensation.command(current.data, causeOf(current)));
    if (Object.keys(compensation.replies ?? {}).length > 0) {
      const deadline = now + (compensation.timeoutMs ?? step.timeoutMs);
      return {
        state: { ...current, step: step.name, deadline, compensationAttempts: 1 },
        commands,
        changed: true,
      };
    }
    current = { ...current, toUndo: current.toUndo.slice(1) };
  }
  const cancelled = { ...current, deadline: null, compensationAttempts: 0 };
  return {
    state: record(cancelled, 'CANCELLED', current.step, now, current.reason ?? undefined),
    commands,
    changed: true,
  };
}

function retryCompensation<TData>(
  definition: SagaDefinition<TData>,
  state: SagaState<TData>,
  now: number,
): SagaTransition<TData> {
  const step = stepNamed(definition, state.step);
  const compensation = step.compensation!;
  if (state.compensationAttempts >= definition.maxCompensationAttempts) {
    const parked = { ...state, deadline: null };
    return {
      state: record(
        parked,
        'COMPENSATION_FAILED',
        step.name,
        now,
        `compensation of ${step.name} failed ${state.compensationAttempts} times`,
      ),
      commands: [],
      changed: true,
    };
  }
  const retried: SagaState<TData> = {
    ...state,
    compensationAttempts: state.compensationAttempts + 1,
    deadline: now + (compensation.timeoutMs ?? step.timeoutMs),
  };
  return { state: retried, commands: [compensation.command(state.data, causeOf(state))], changed: true };
}

function causeOf(state: SagaState<unknown>): CompensationCause {
  return state.reason === timeoutReason
    ? { kind: 'timeout' }
    : { kind: 'failure', reason: state.reason ?? '' };
}

function resolve<TData>(
  handler: ReplyHandler<TData>,
  reply: SagaReply,
  data: TData,
): { fail: string } | { data: TData } {
  const outcome = typeof handler === 'function' ? handler(reply, data) : handler;
  if (outcome === 'success') return { data };
  if ('fail' in outcome) return { fail: outcome.fail };
  return { data: outcome.data };
}

function locateReply<TData>(
  definition: SagaDefinition<TData>,
  type: string,
): { step: SagaStep<TData>; index: number; role: 'step' | 'compensation' } | undefined {
  for (const [index, step] of definition.steps.entries()) {
    if (Object.hasOwn(step.replies, type)) return { step, index, role: 'step' };
    if (step.compensation?.replies && Object.hasOwn(step.compensation.replies, type))
      return { step, index, role: 'compensation' };
  }
  return undefined;
}

function stepNamed<TData>(definition: SagaDefinition<TData>, name: string): SagaStep<TData> {
  const step = definition.steps.find((candidate) => candidate.name === name);
  if (!step) throw new Error(`saga ${definition.name} has no step ${name}`);
  return step;
}

/** Moves to `to` and appends the history entry of that move. */
function record<TData>(
  state: SagaState<TData>,
  to: SagaStatus,
  step: string,
  at: number,
  reason?: string,
): SagaState<TData> {
  const entry =
    reason === undefined
      ? { from: state.status, to, step, at }
      : { from: state.status, to, step, at, reason };
  return { ...state, status: to, history: [...state.history, entry] };
}

function unchanged<TData>(state: SagaState<TData>): SagaTransition<TData> {
  return { state, commands: [], changed: false };
}
