export {
  defineSaga,
  replyTypesOf,
  type CompensationCause,
  type OutgoingCommand,
  type OutcomeMessages,
  type StartMessages,
  type ReplyHandler,
  type ReplyOutcome,
  type SagaCompensation,
  type SagaDefinition,
  type SagaDefinitionInput,
  type SagaReply,
  type SagaStep,
} from './domain/saga-definition';
export {
  isFinished,
  unfinishedStatuses,
  type SagaHistoryEntry,
  type SagaState,
  type SagaStatus,
} from './domain/saga-state';
export {
  retryReason,
  startSaga,
  timeoutReason,
  transition,
  type SagaEvent,
  type SagaTransition,
} from './domain/transition';
export type { SagaStore, SaveContext } from './store/saga-store.port';
export { InMemorySagaStore, type SagaDocument } from './store/in-memory-saga-store';
export { toOutboxEvents } from './store/outbox-events';
export {
  SagaOrchestrator,
  type SagaLogger,
  type SagaOrchestratorOptions,
  type SagaStart,
} from './runtime/saga-orchestrator';
export { sagaMetrics, type SagaMetrics } from './runtime/saga-metrics';
export { UnfinishedSagaLimit, type UnfinishedSagaLimitOptions } from './runtime/unfinished-saga-limit';
