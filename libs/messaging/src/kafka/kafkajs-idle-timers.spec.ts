import { fixedKafkajsVersion, quietKafkaIdleTimers } from './kafkajs-idle-timers';

interface TestQueue {
  pending: unknown[];
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  destroy(): void;
}

const ignore = () => undefined;
const silent = {
  info: ignore,
  error: ignore,
  warn: ignore,
  debug: ignore,
  setLogLevel: ignore,
  namespace: () => silent,
};

function aRequestQueue(): TestQueue {
  const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => TestQueue;
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 10_000,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: silent,
    isConnected: () => true,
  });
}

describe('quietKafkaIdleTimers', () => {
  beforeAll(() => expect(quietKafkaIdleTimers()).toBe(true));
  afterEach(() => jest.useRealTimers());

  it(`when kafkajs moves on from ${fixedKafkajsVersion}, then this fails: check whether the new release still needs the fix`, () => {
    expect((require('kafkajs/package.json') as { version: string }).version).toBe(fixedKafkajsVersion);
  });

  it('when a connection has no request waiting, then looking at its queue arms no timer', () => {
    const queue = aRequestQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('when a request waits, then the queue looks at it again', () => {
    jest.useFakeTimers();
    const queue = aRequestQueue();
    const looked = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
    queue.pending.push({});
    queue.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(10);
    expect(looked).toHaveBeenCalledTimes(1);
  });

  it('when a request outlives its timeout, then it times out within a second', () => {
    jest.useFakeTimers();
    const queue = aRequestQueue();
    const timedOut = jest.fn();
    queue.scheduleRequestTimeoutCheck();
    queue.inflight.set(1, { sentAt: Date.now(), requestTimeout: 10_000, timeoutRequest: timedOut });
    jest.advanceTimersByTime(10_000);
    expect(timedOut).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1000);
    expect(timedOut).toHaveBeenCalledTimes(1);
    queue.destroy();
  });
});
