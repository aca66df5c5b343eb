import type { AttemptCounter } from '../../src/login-throttle/attempt-counter.port';
import type { ContractSubject } from './users-repository.contract';
import { randomUUID } from 'node:crypto';

/** What every AttemptCounter adapter must do; run against the in-memory adapter and against Redis. */
export function describeAttemptCounterContract(
  name: string,
  factory: () => Promise<ContractSubject<AttemptCounter>>,
): void {
  describe(`AttemptCounter contract: ${name}`, () => {
    let subject: ContractSubject<AttemptCounter>;
    let counter: AttemptCounter;
    const key = () => `test:${randomUUID()}`;
    beforeAll(async () => {
      subject = await factory();
      counter = subject.repository;
    });
    afterAll(() => subject.cleanup());

    it('when a key is hit three times, then the counts are 1, 2, 3 within one window', async () => {
      const k = key();
      const hits = [await counter.hit(k, 60_000), await counter.hit(k, 60_000), await counter.hit(k, 60_000)];
      expect(hits.map((hit) => hit.count)).toEqual([1, 2, 3]);
      for (const hit of hits) {
        expect(hit.resetInMs).toBeGreaterThan(55_000);
        expect(hit.resetInMs).toBeLessThanOrEqual(60_000);
      }
    });

    it('when keys differ, then their counts are independent', async () => {
      const [a, b] = [key(), key()];
      await counter.hit(a, 60_000);
      await counter.hit(a, 60_000);
      expect((await counter.hit(b, 60_000)).count).toBe(1);
    });

    it('when a key is hit concurrently, then no hit is lost', async () => {
      const k = key();
      await Promise.all(Array.from({ length: 10 }, () => counter.hit(k, 60_000)));
      expect((await counter.hit(k, 60_000)).count).toBe(11);
    });

    it('when the window ends, then counting starts again at 1', async () => {
      const k = key();
      await counter.hit(k, 50);
      await counter.hit(k, 50);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect((await counter.hit(k, 50)).count).toBe(1);
    });

    it('when a hit is forgiven, then the count drops by one but never below zero', async () => {
      const k = key();
      await counter.hit(k, 60_000);
      await counter.hit(k, 60_000);
      await counter.forgive(k);
      expect((await counter.hit(k, 60_000)).count).toBe(2);
      const fresh = key();
      await counter.forgive(fresh);
      expect((await counter.hit(fresh, 60_000)).count).toBe(1);
    });

    it('when a key is reset, then counting starts again at 1', async () => {
      const k = key();
      await counter.hit(k, 60_000);
      await counter.hit(k, 60_000);
      await counter.reset(k);
      expect((await counter.hit(k, 60_000)).count).toBe(1);
    });
  });
}
