export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotentHttp,
  type IdempotentHttpCall,
} from './idempotent-http';
