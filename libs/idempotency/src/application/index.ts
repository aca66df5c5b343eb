export {
  DEFAULT_LEASE_MS,
  DEFAULT_RETENTION_MS,
  IdempotentRequests,
  type IdempotencyLogger,
  type IdempotentOutcome,
  type IdempotentRequestsOptions,
} from './idempotent-requests';
