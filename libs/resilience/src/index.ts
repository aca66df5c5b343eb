export { BulkheadRejectedError, CircuitOpenError, ResilienceError, TimeoutError } from './errors';
export { type ResilienceLogger } from './logger';
export {
  type ComposedPolicy,
  type ExecuteOptions,
  type ExecutionContext,
  type Operation,
  type Policy,
  compose,
} from './policy';
export { type TimeoutOptions, timeout } from './timeout';
export { type RetryOptions, retry } from './retry';
export { fullJitterDelay } from './backoff';
export {
  type CircuitBreakerOptions,
  type CircuitBreakerPolicy,
  type CircuitState,
  circuitBreaker,
  circuitStateValue,
  reportCircuitState,
} from './circuit-breaker';
export { type BulkheadOptions, type BulkheadPolicy, bulkhead } from './bulkhead';
export {
  type ResilientHttpClient,
  type ResilientHttpClientOptions,
  type ResilientRequest,
  createResilientHttpClient,
} from './http/resilient-http-client';
export { isConnectionError } from './http/connection-errors';
export { isIdempotentRequest } from './http/idempotency';
export {
  type BalancedHttpClient,
  type BalancedHttpClientOptions,
  type HttpInstance,
  baseUrlsOf,
  createBalancedHttpClient,
} from './http/balanced-http-client';
export { notProcessedHeader } from './http/not-processed';
