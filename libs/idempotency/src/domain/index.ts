export { canonicalJson } from './canonical-json';
export { decide, type IdempotencyDecision, type KnownState } from './idempotency-decision';
export { DuplicateIdempotencyKeyError } from './duplicate-idempotency-key.error';
export type {
  IdempotencyRecord,
  IdempotencyScope,
  IdempotentRequest,
  StoredResponse,
} from './idempotency-record';
export { idempotencyKeyHeader, validateIdempotencyKey, type KeyValidation } from './idempotency-key';
export { requestFingerprint, type FingerprintedRequest } from './request-fingerprint';
export { scopedKey } from './scoped-key';
