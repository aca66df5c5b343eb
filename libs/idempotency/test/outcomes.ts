import type { IdempotentOutcome, StoredResponse } from '../src';

/** The response of an executed or replayed outcome; fails the test for any other outcome. */
export function responseOf(outcome: IdempotentOutcome | undefined): StoredResponse {
  if (outcome?.kind !== 'executed' && outcome?.kind !== 'replayed')
    throw new Error(`expected a response, got ${JSON.stringify(outcome)}`);
  return outcome.response;
}
