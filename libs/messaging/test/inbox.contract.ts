import { randomUUID } from 'node:crypto';
import { eventually } from '@platform/testing';
import { InboxEventInProgressError, type Inbox } from '../src/inbox/inbox.port';

export interface InboxSubject {
  inbox: Inbox;
  cleanup(): Promise<void>;
}

/** The subject's inbox must use this clock and a processing lease of one minute. */
export type InboxFactory = (clock: () => Date) => Promise<InboxSubject>;

const anEventId = () => randomUUID();

/** What every Inbox adapter must do; run against the in-memory adapter and against MongoDB. */
export function describeInboxContract(name: string, factory: InboxFactory): void {
  describe(`Inbox contract: ${name}`, () => {
    let subject: InboxSubject;
    let inbox: Inbox;
    let now: Date;
    beforeAll(async () => {
      subject = await factory(() => now);
      inbox = subject.inbox;
      await inbox.ensureIndexes();
    });
    beforeEach(() => {
      now = new Date('2026-04-01T10:00:00.000Z');
    });
    afterAll(() => subject.cleanup());

    function countingEffect(): { runs: () => number; effect: () => Promise<string> } {
      let runs = 0;
      return { runs: () => runs, effect: async () => `effect ${(runs += 1)}` };
    }

    it('when an event arrives for the first time, then its effect runs and its result is returned', async () => {
      const { runs, effect } = countingEffect();
      expect(await inbox.runOnce('notification', anEventId(), effect)).toEqual({
        kind: 'processed',
        result: 'effect 1',
      });
      expect(runs()).toBe(1);
    });

    it('when the same event arrives again, then it is a duplicate and the effect does not run', async () => {
      const { runs, effect } = countingEffect();
      const eventId = anEventId();
      await inbox.runOnce('notification', eventId, effect);
      expect(await inbox.runOnce('notification', eventId, effect)).toEqual({ kind: 'duplicate' });
      expect(runs()).toBe(1);
    });

    it('when the same event is delivered five times at once, then the effect runs once and the others must retry', async () => {
      const eventId = anEventId();
      let runs = 0;
      let finish!: () => void;
      const effectHeld = new Promise<void>((resolve) => (finish = resolve));
      const effect = async () => {
        runs += 1;
        await effectHeld;
      };
      const settled: PromiseSettledResult<unknown>[] = [];
      const deliveries = Array.from({ length: 5 }, () =>
        inbox.runOnce('payment', eventId, effect).then(
          (value) => settled.push({ status: 'fulfilled', value }),
          (reason: unknown) => settled.push({ status: 'rejected', reason }),
        ),
      );
      // The winner's effect is held, so the four others settle first, while it is still in progress.
      await eventually(async () => (settled.length === 4 ? true : undefined), 10_000, 5);
      finish();
      await Promise.all(deliveries);

      expect(runs).toBe(1);
      expect(
        settled.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => outcome.value),
      ).toEqual([{ kind: 'processed', result: undefined }]);
      const rejections = settled.flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason] : [],
      );
      expect(rejections).toHaveLength(4);
      rejections.forEach((reason) => expect(reason).toBeInstanceOf(InboxEventInProgressError));
      expect(await inbox.runOnce('payment', eventId, effect)).toEqual({ kind: 'duplicate' });
    });

    it('when a delivery is in progress, then another delivery of the event fails at once, naming the event and when the lease held on it ends', async () => {
      const eventId = anEventId();
      const { started, finish, effect } = heldEffect();
      const first = inbox.runOnce('payment', eventId, effect);
      await started;
      await expect(inbox.runOnce('payment', eventId, async () => undefined)).rejects.toMatchObject({
        code: 'INBOX.EVENT_IN_PROGRESS',
        consumerGroup: 'payment',
        eventId,
        leaseUntil: new Date(now.getTime() + 60_000),
      });
      finish();
      await expect(first).resolves.toEqual({ kind: 'processed', result: undefined });
    });

    it('when two consumer groups process the same event, then each runs its own effect once', async () => {
      const eventId = anEventId();
      const { runs, effect } = countingEffect();
      await inbox.runOnce('notification', eventId, effect);
      await inbox.runOnce('order-saga', eventId, effect);
      await inbox.runOnce('notification', eventId, effect);
      await inbox.runOnce('order-saga', eventId, effect);
      expect(runs()).toBe(2);
    });

    it('when the effect fails, then the event is not recorded and the redelivery runs the effect again', async () => {
      const eventId = anEventId();
      await expect(
        inbox.runOnce('inventory', eventId, async () => {
          throw new Error('database down');
        }),
      ).rejects.toThrow('database down');
      const { runs, effect } = countingEffect();
      expect(await inbox.runOnce('inventory', eventId, effect)).toEqual({
        kind: 'processed',
        result: 'effect 1',
      });
      expect(runs()).toBe(1);
    });

    it('when an attempt never finished (its consumer died), then a redelivery after the processing lease runs the effect', async () => {
      const eventId = anEventId();
      const { started, effect: neverFinishes } = heldEffect();
      void inbox.runOnce('inventory', eventId, neverFinishes);
      await started;
      now = new Date(now.getTime() + 60_000);
      const { runs, effect } = countingEffect();
      expect(await inbox.runOnce('inventory', eventId, effect)).toEqual({
        kind: 'processed',
        result: 'effect 1',
      });
      expect(await inbox.runOnce('inventory', eventId, effect)).toEqual({ kind: 'duplicate' });
      expect(runs()).toBe(1);
    });

    it('when an attempt that never finished is redelivered five times at once after its lease, then exactly one delivery takes it over', async () => {
      const eventId = anEventId();
      const { started, effect: neverFinishes } = heldEffect();
      void inbox.runOnce('inventory', eventId, neverFinishes);
      await started;
      now = new Date(now.getTime() + 60_000);
      const { runs, effect } = countingEffect();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () => inbox.runOnce('inventory', eventId, effect)),
      );
      expect(runs()).toBe(1);
      const processed = outcomes.filter(
        (outcome) => outcome.status === 'fulfilled' && outcome.value.kind === 'processed',
      );
      expect(processed).toHaveLength(1);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(InboxEventInProgressError);
    });
  });
}

/** An effect that reports when it starts and finishes only when told (or never: a consumer that died). */
function heldEffect(): { started: Promise<void>; finish: () => void; effect: () => Promise<void> } {
  let markStarted!: () => void;
  let finish!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return {
    started,
    finish,
    effect: async () => {
      markStarted();
      await finished;
    },
  };
}
