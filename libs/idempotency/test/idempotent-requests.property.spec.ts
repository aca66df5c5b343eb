import fc from 'fast-check';
import {
  type DurableIdempotencyRecords,
  type IdempotencyLocks,
  type IdempotentOutcome,
  type IdempotentRequest,
  IdempotentRequests,
  MemoryDurableIdempotencyRecords,
  MemoryIdempotencyLocks,
} from '../src';
import { failingLocks } from './failing-locks';
import { FakeOrderService } from './fake-order-service';

/**
 * Concurrent requests over a few users, keys and bodies, with every await of the cache, the lock
 * and the durable store interleaved in an order fast-check chooses (`fc.scheduler`), and the cache
 * sometimes unreachable: whatever the interleaving, a (user, key) runs at most once and every
 * answer agrees with the record that won.
 */
const requestArbitrary: fc.Arbitrary<IdempotentRequest> = fc.record({
  userId: fc.constantFrom('alice', 'bob'),
  key: fc.constantFrom('k1', 'k2'),
  fingerprint: fc.constantFrom('fp-a', 'fp-b'),
});

const lockMethods = ['findFinished', 'acquire', 'finish', 'release'] as const;

/** Every call of `target` first waits for the scheduler to let it through, then runs. */
function scheduled<T extends object>(scheduler: fc.Scheduler, target: T, label: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        scheduler
          .schedule(Promise.resolve(), `${label}.${String(property)}`)
          .then(() => (value as (...inner: unknown[]) => Promise<unknown>).apply(object, args));
    },
  });
}

describe('IdempotentRequests under arbitrary interleavings (fast-check)', () => {
  it('when requests race in any order, with the cache up or partly down, then each (user, key) executes at most once and every answer agrees with the stored record', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(requestArbitrary, { minLength: 1, maxLength: 8 }),
        fc.subarray([...lockMethods]),
        async (scheduler, requests, failing) => {
          const records = new MemoryDurableIdempotencyRecords();
          const orders = new FakeOrderService(records);
          const locks: IdempotencyLocks = failingLocks(new MemoryIdempotencyLocks(() => 0), failing);
          const idempotent = new IdempotentRequests(
            scheduled(scheduler, locks, 'locks'),
            scheduled<DurableIdempotencyRecords>(scheduler, records, 'records'),
            { logger: { warn: () => undefined } },
          );
          const outcomes: Promise<{ request: IdempotentRequest; outcome: IdempotentOutcome }>[] =
            requests.map((request) =>
              idempotent.handle(request, orders.execute).then((outcome) => ({ request, outcome })),
            );
          // Releases scheduled calls, one at a time in the chosen order, until every request is answered.
          const answered = await scheduler.waitFor(Promise.all(outcomes));

          for (const { request, outcome } of answered) {
            const stored = await records.find(request.userId, request.key);
            const scope = `${request.userId}/${request.key}`;
            switch (outcome.kind) {
              case 'executed':
              case 'replayed':
                // The answer is the winner's, and only a request with the winner's body gets it.
                expect(stored).toEqual({ fingerprint: request.fingerprint, response: outcome.response });
                break;
              case 'mismatch':
                expect(stored?.fingerprint).not.toBe(request.fingerprint);
                break;
              case 'in-flight':
                break;
            }
            const executions = answered.filter(
              (other) =>
                `${other.request.userId}/${other.request.key}` === scope && other.outcome.kind === 'executed',
            );
            expect(executions.length).toBeLessThanOrEqual(1);
          }
          // One stored record per (user, key) that executed: the orders that exist are exactly those.
          const scopes = new Set(requests.map((request) => `${request.userId}/${request.key}`));
          let stored = 0;
          for (const scope of scopes) {
            const [userId, key] = scope.split('/') as [string, string];
            if (await records.find(userId, key)) stored += 1;
          }
          expect(stored).toBeLessThanOrEqual(scopes.size);
          expect(answered.filter(({ outcome }) => outcome.kind === 'executed').length).toBe(stored);
        },
      ),
      { numRuns: 500, seed: 20261204 },
    );
  });
});
