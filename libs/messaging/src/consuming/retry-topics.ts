import { isStoreUnavailable } from '@platform/persistence';
import { backoffDelayMs } from '../backoff';
import { InboxEventInProgressError } from '../inbox/inbox.port';
import { retryTopicOf, deadLetterTopicOf } from '../topic-names';
import type { ConsumedRecord, WireRecord } from '../wire-record';
import { toDeadLetterRecord, withoutDeliveryHeaders } from './dead-letter-record';

/** How often and how patiently a message whose handler throws is tried again. */
export interface RetryPolicy {
  /** Tries in all, the first included: `maxAttempts - 1` retry topics, then the DLQ. At least 1. */
  maxAttempts: number;
  /** The backoff before the first retry; it doubles with every further retry. */
  baseDelayMs: number;
  /** No retry waits longer than this. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

export function retryPolicyOf(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...defaultRetryPolicy, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new Error(`retry maxAttempts must be an integer ≥ 1, not ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= 0)) throw new Error('retry delays must be ≥ 0 ms');
  return policy;
}

export const retryHeaders = {
  /** Which retry this is: 1 on `<topic>.retry.1`, and so on; the handler failed that many times. */
  attempt: 'retry-attempt',
  /** Epoch milliseconds before which the retry must not run. */
  notBefore: 'retry-not-before',
  /** The message of the error the last try threw, truncated. */
  error: 'retry-error',
  originalTopic: 'retry-original-topic',
  originalPartition: 'retry-original-partition',
  originalOffset: 'retry-original-offset',
  /** The consumer group whose handler failed: retry topics are shared by every group reading the topic, and only this group retries. */
  group: 'retry-group',
} as const;

/** The longest error message a header carries. */
export const maxErrorLength = 500;

/** What a subscription reads from one topic: its own topics (retry 0) and their retry topics. */
export interface ConsumedTopic {
  /** The topic the messages were published to, whose handlers and contracts apply. */
  sourceTopic: string;
  /** 0 on the source topic, n on `<sourceTopic>.retry.<n>`. */
  retry: number;
}

/** Every topic a subscription to `sourceTopics` reads, with what it is. */
export function consumedTopicsOf(
  sourceTopics: Iterable<string>,
  policy: RetryPolicy,
): ReadonlyMap<string, ConsumedTopic> {
  const consumed = new Map<string, ConsumedTopic>();
  for (const sourceTopic of sourceTopics) {
    consumed.set(sourceTopic, { sourceTopic, retry: 0 });
    for (let retry = 1; retry < policy.maxAttempts; retry++)
      consumed.set(retryTopicOf(sourceTopic, retry), { sourceTopic, retry });
  }
  return consumed;
}

/** When a retry record may run, in epoch ms; 0 (at once) when the header is missing or not a number. */
export function notBeforeOf(record: WireRecord): number {
  const notBefore = Number(record.headers[retryHeaders.notBefore]);
  return Number.isFinite(notBefore) ? notBefore : 0;
}

/** How long a record must still wait before this group may consume it: > 0 only for its own retries not yet due. */
export function msUntilDue(record: WireRecord, from: ConsumedTopic, groupId: string, now: number): number {
  if (from.retry === 0 || !isRetryOf(record, groupId)) return 0;
  return Math.max(0, notBeforeOf(record) - now);
}

/** False for a retry record another consumer group failed: that group retries it, this one already handled it. */
export function isRetryOf(record: WireRecord, groupId: string): boolean {
  const group = record.headers[retryHeaders.group];
  return group === undefined || group === groupId;
}

/**
 * The record as it was on its source topic: for a retry record, the topic, partition and offset it
 * was first published at, so the handler, the contract check and a dead letter see the original.
 */
export function originalViewOf(record: ConsumedRecord, from: ConsumedTopic): ConsumedRecord {
  if (from.retry === 0) return record;
  const partition = Number(record.headers[retryHeaders.originalPartition]);
  return {
    ...record,
    topic: from.sourceTopic,
    partition: Number.isInteger(partition) ? partition : record.partition,
    offset: record.headers[retryHeaders.originalOffset] ?? record.offset,
  };
}

export interface HandlerFailure {
  /** The record as it was on its source topic (`originalViewOf`). */
  original: ConsumedRecord;
  /** Tries so far, the failed one included. */
  attempts: number;
  error: unknown;
  groupId: string;
}

/** Where a record goes after its handler threw: the next retry topic, or the DLQ after the last try. */
export function routeHandlerFailure(
  { original, attempts, error, groupId }: HandlerFailure,
  policy: RetryPolicy,
  now: number,
  random: () => number,
): { topic: string; record: WireRecord } {
  const message = errorMessageOf(error);
  // Another attempt holds the event (a consumer that died mid-effect, or one losing its partition),
  // or a store could not be reached (down, restarting): the handler could not try. Not counted as a
  // try, so an outage does not use up the attempts and park the message in the DLQ: it waits on
  // the same tier, until the lease is over or for that tier's backoff, as long as the outage lasts.
  const contended = error instanceof InboxEventInProgressError;
  const couldNotTry = contended || isStoreUnavailable(error);
  const tries = couldNotTry ? attempts - 1 : attempts;
  // Without retry topics (one try in all) there is no tier to wait on: parked like any failure.
  if (tries >= policy.maxAttempts || (couldNotTry && policy.maxAttempts < 2)) {
    return {
      topic: deadLetterTopicOf(original.topic),
      record: toDeadLetterRecord(original, `handler failed: ${message}`, { attempts, groupId }),
    };
  }
  const retry = Math.max(1, tries);
  const backoff = backoffDelayMs(retry, { initialMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, random);
  const delayMs = contended
    ? Math.min(policy.maxDelayMs, Math.max(policy.baseDelayMs, (error.leaseUntil?.getTime() ?? 0) - now))
    : couldNotTry
      ? // At least the base delay: a message waiting out an outage asks about once a second, not in a tight loop.
        Math.max(policy.baseDelayMs, backoff)
      : backoff;
  return {
    topic: retryTopicOf(original.topic, retry),
    record: {
      key: original.key,
      value: original.value,
      headers: {
        ...withoutDeliveryHeaders(original.headers),
        [retryHeaders.attempt]: String(retry),
        [retryHeaders.notBefore]: String(now + delayMs),
        [retryHeaders.error]: message,
        [retryHeaders.originalTopic]: original.topic,
        [retryHeaders.originalPartition]: String(original.partition),
        [retryHeaders.originalOffset]: original.offset,
        [retryHeaders.group]: groupId,
      },
    },
  };
}

function errorMessageOf(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const characters = [...message];
  return characters.length <= maxErrorLength
    ? message
    : `${characters.slice(0, maxErrorLength - 1).join('')}…`;
}

/** Resolves after `delayMs`, or at once when `stopping` aborts. A timer, not a busy loop. */
export function delay(delayMs: number, stopping: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stopping.aborted) return resolve();
    const timer = setTimeout(done, delayMs);
    stopping.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      stopping.removeEventListener('abort', done);
      resolve();
    }
  });
}
