import { toKafkaMessage } from '../envelope/cloud-event-envelope';
import { errors as cassandraErrors } from 'cassandra-driver';
import { MongoNetworkError } from 'mongodb';
import { InboxEventInProgressError } from '../inbox/inbox.port';
import type { ConsumedRecord } from '../wire-record';
import { deadLetterHeaders } from './dead-letter-record';
import {
  consumedTopicsOf,
  isRetryOf,
  maxErrorLength,
  msUntilDue,
  originalViewOf,
  retryHeaders,
  retryPolicyOf,
  routeHandlerFailure,
  type RetryPolicy,
} from './retry-topics';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 };
const topic = 'users.events.v1';

function consumed(overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  const wire = toKafkaMessage({
    topic,
    type: 'platform.users.user-registered.v1',
    key: 'user-1',
    data: { userId: 'user-1', email: 'ada@example.com', name: 'Ada' },
    source: 'auth',
  });
  return { ...wire, topic, partition: 2, offset: '41', ...overrides };
}

describe('retry topics', () => {
  it('when a subscription reads a topic, then it also reads one retry topic per retry', () => {
    expect([...consumedTopicsOf([topic], policy)]).toEqual([
      [topic, { sourceTopic: topic, retry: 0 }],
      [`${topic}.retry.1`, { sourceTopic: topic, retry: 1 }],
      [`${topic}.retry.2`, { sourceTopic: topic, retry: 2 }],
      [`${topic}.retry.3`, { sourceTopic: topic, retry: 3 }],
    ]);
  });

  it('when a policy is invalid, then it is refused', () => {
    expect(() => retryPolicyOf({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => retryPolicyOf({ baseDelayMs: -1 })).toThrow(/delays/);
  });

  it('when a handler fails the first time, then the record goes to retry 1 as it was, with the retry headers', () => {
    const record = consumed();

    const next = routeHandlerFailure(
      { original: record, attempts: 1, error: new Error('store unavailable'), groupId: 'notification' },
      policy,
      1_000_000,
      () => 0.5,
    );

    expect(next.topic).toBe(`${topic}.retry.1`);
    expect(next.record.key).toBe(record.key);
    expect(next.record.value).toBe(record.value);
    expect(next.record.headers).toEqual({
      ...record.headers,
      [retryHeaders.attempt]: '1',
      [retryHeaders.notBefore]: String(1_000_000 + 500),
      [retryHeaders.error]: 'Error: store unavailable',
      [retryHeaders.originalTopic]: topic,
      [retryHeaders.originalPartition]: '2',
      [retryHeaders.originalOffset]: '41',
      [retryHeaders.group]: 'notification',
    });
  });

  it('when a retry fails, then it goes to the next level and keeps its original position', () => {
    const first = routeHandlerFailure(
      { original: consumed(), attempts: 1, error: new Error('first'), groupId: 'g' },
      policy,
      0,
      () => 0,
    ).record;
    const onRetry1 = consumed({ ...first, topic: `${topic}.retry.1`, partition: 0, offset: '7' });
    const original = originalViewOf(onRetry1, { sourceTopic: topic, retry: 1 });

    const next = routeHandlerFailure(
      { original, attempts: 2, error: 'second', groupId: 'g' },
      policy,
      0,
      () => 0,
    );

    expect(original).toMatchObject({ topic, partition: 2, offset: '41' });
    expect(next.topic).toBe(`${topic}.retry.2`);
    expect(next.record.headers).toMatchObject({
      [retryHeaders.attempt]: '2',
      [retryHeaders.error]: 'second',
      [retryHeaders.originalPartition]: '2',
      [retryHeaders.originalOffset]: '41',
    });
  });

  it('when the last try fails, then the record goes to the DLQ with the attempts and the last error, without retry headers', () => {
    const original = consumed({ headers: { ...consumed().headers, [retryHeaders.attempt]: '3' } });

    const next = routeHandlerFailure(
      { original, attempts: 4, error: new TypeError('x'.repeat(2000)), groupId: 'g' },
      policy,
      0,
      () => 0,
    );

    expect(next.topic).toBe(`${topic}.dlq`);
    expect(next.record.headers).toMatchObject({
      [deadLetterHeaders.attempts]: '4',
      [deadLetterHeaders.group]: 'g',
      [deadLetterHeaders.originalTopic]: topic,
      [deadLetterHeaders.originalPartition]: '2',
      [deadLetterHeaders.originalOffset]: '41',
    });
    expect(next.record.headers[deadLetterHeaders.reason]).toMatch(/^handler failed: TypeError: x+…$/);
    expect([...(next.record.headers[deadLetterHeaders.reason] ?? '')].length).toBeLessThanOrEqual(
      'handler failed: '.length + maxErrorLength,
    );
    expect(Object.keys(next.record.headers).some((name) => name.startsWith('retry-'))).toBe(false);
  });

  it('when another attempt holds the event on the last try (a consumer that died mid-effect), then it waits on the same tier until that lease is over, without counting a try', () => {
    const heldUntil = new Date(1_000_000 + 2_500);
    const contended = new InboxEventInProgressError('g', 'event-1', heldUntil);

    const fromSource = routeHandlerFailure(
      { original: consumed(), attempts: 1, error: contended, groupId: 'g' },
      policy,
      1_000_000,
      () => 0,
    );
    const onLastTier = routeHandlerFailure(
      { original: consumed(), attempts: 4, error: contended, groupId: 'g' },
      policy,
      1_000_000,
      () => 0,
    );

    expect([fromSource.topic, fromSource.record.headers[retryHeaders.notBefore]]).toEqual([
      `${topic}.retry.1`,
      String(heldUntil.getTime()),
    ]);
    expect([onLastTier.topic, onLastTier.record.headers[retryHeaders.attempt]]).toEqual([
      `${topic}.retry.3`,
      '3',
    ]);
  });

  it('when the lease held by the other attempt ends later than the longest retry delay, then the retry waits the longest delay and asks again', () => {
    const contended = new InboxEventInProgressError('g', 'event-1', new Date(1_000_000 + 60_000));

    const next = routeHandlerFailure(
      { original: consumed(), attempts: 2, error: contended, groupId: 'g' },
      policy,
      1_000_000,
      () => 0,
    );

    expect([next.topic, next.record.headers[retryHeaders.notBefore]]).toEqual([
      `${topic}.retry.1`,
      String(1_000_000 + 3000),
    ]);
  });

  it('when a store cannot be reached on the last try (an outage), then the message waits on the same tier for its backoff, without counting a try, however long the outage lasts', () => {
    const unavailable = new Error('payment decision failed', {
      cause: new cassandraErrors.NoHostAvailableError({}),
    });
    const onLastTier = routeHandlerFailure(
      { original: consumed(), attempts: 4, error: unavailable, groupId: 'g' },
      policy,
      1_000_000,
      () => 0.5,
    );
    const again = routeHandlerFailure(
      {
        original: consumed(),
        attempts: 4,
        error: new MongoNetworkError('connection 2 closed'),
        groupId: 'g',
      },
      policy,
      1_000_000,
      () => 0.5,
    );

    expect([onLastTier.topic, onLastTier.record.headers[retryHeaders.attempt]]).toEqual([
      `${topic}.retry.3`,
      '3',
    ]);
    expect(again.topic).toBe(`${topic}.retry.3`);
    // At least the base delay (1 s here), even when the jitter draws 0.
    const drawingZero = routeHandlerFailure(
      { original: consumed(), attempts: 1, error: unavailable, groupId: 'g' },
      policy,
      1_000_000,
      () => 0,
    );
    expect(drawingZero.record.headers[retryHeaders.notBefore]).toBe(String(1_000_000 + policy.baseDelayMs));
  });

  it('when the policy has no retry topics, then an event another attempt holds is parked like any failure', () => {
    const next = routeHandlerFailure(
      {
        original: consumed(),
        attempts: 1,
        error: new InboxEventInProgressError('g', 'event-1', new Date(0)),
        groupId: 'g',
      },
      { ...policy, maxAttempts: 1 },
      0,
      () => 0,
    );

    expect(next.topic).toBe(`${topic}.dlq`);
  });

  it('when a retry is not due, then only its own group waits for it, and another group passes it over', () => {
    const retry1 = { sourceTopic: topic, retry: 1 };
    const record = consumed({ headers: { [retryHeaders.notBefore]: '5000', [retryHeaders.group]: 'g' } });

    expect(msUntilDue(record, retry1, 'g', 4000)).toBe(1000);
    expect(msUntilDue(record, retry1, 'g', 6000)).toBe(0);
    expect(msUntilDue(record, retry1, 'other', 4000)).toBe(0);
    expect(msUntilDue(record, { sourceTopic: topic, retry: 0 }, 'g', 4000)).toBe(0);
    expect(isRetryOf(record, 'g')).toBe(true);
    expect(isRetryOf(record, 'other')).toBe(false);
    expect(isRetryOf(consumed(), 'other')).toBe(true);
  });
});
