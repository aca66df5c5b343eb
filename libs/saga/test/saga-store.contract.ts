import type { OutboxDocument } from '@platform/messaging';
import { startSaga, transition, type SagaStore } from '../src';
import { anOrder, orderSaga } from './support/order-saga';

export interface SagaStoreFixture {
  store: SagaStore;
  /** A second store over the same data, as another process would have. */
  anotherStore: () => SagaStore;
  readDocument: (id: string) => Promise<(OutboxDocument & Record<string, unknown>) | undefined>;
  cleanup: () => Promise<void>;
}

const now = new Date(1_000_000);

export function describeSagaStoreContract(name: string, setUp: () => Promise<SagaStoreFixture>): void {
  describe(`SagaStore contract (${name})`, () => {
    let fixture: SagaStoreFixture;
    beforeEach(async () => {
      fixture = await setUp();
      await fixture.store.ensureIndexes();
    });
    afterEach(() => fixture.cleanup());

    const started = (id: string) => {
      const first = startSaga(orderSaga, id, anOrder(id), now.getTime());
      return { state: { ...first.state, version: 1 }, commands: first.commands };
    };

    it('when a saga is saved, then its state loads back and its command waits in the same document outbox, correlated', async () => {
      const { state, commands } = started('order-a');
      expect(await fixture.store.save(state, commands, { now, traceparent: 'tp' })).toBe(true);
      expect(await fixture.store.load('order-a')).toEqual(state);
      const document = await fixture.readDocument('order-a');
      expect(document?.outbox).toEqual([
        expect.objectContaining({
          type: 'ReserveStock',
          state: 'pending',
          correlationId: 'order-a',
          traceparent: 'tp',
          data: commands[0]!.data,
        }),
      ]);
    });

    it('when two writers save the same version, then exactly one wins and only its commands are pending', async () => {
      const { state, commands } = started('order-b');
      const results = await Promise.all([
        fixture.store.save(state, commands, { now }),
        fixture.anotherStore().save(state, commands, { now }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await fixture.readDocument('order-b'))?.outbox).toHaveLength(1);
    });

    it('when a stale version is saved, then it is refused and nothing is added', async () => {
      const { state, commands } = started('order-c');
      await fixture.store.save(state, commands, { now });
      expect(await fixture.store.save({ ...state, version: 1 }, commands, { now })).toBe(false);
      expect(await fixture.store.save({ ...state, version: 3 }, commands, { now })).toBe(false);
      expect((await fixture.readDocument('order-c'))?.outbox).toHaveLength(1);
    });

    it('when many concurrent transitions race on one saga, then no command is lost or duplicated', async () => {
      const { state, commands } = started('order-d');
      await fixture.store.save(state, commands, { now });
      // Ten writers each try to apply StockReserved (each with its own reply id) on whatever version they read.
      const writer = async (index: number, store: SagaStore): Promise<boolean> => {
        for (;;) {
          const current = (await store.load<ReturnType<typeof anOrder>>('order-d'))!;
          const next = transition(
            orderSaga,
            current,
            { kind: 'reply', reply: { id: `r-${index}`, type: 'StockReserved', data: {} } },
            now.getTime(),
          );
          if (!next.changed) return false;
          if (await store.save({ ...next.state, version: current.version + 1 }, next.commands, { now }))
            return true;
        }
      };
      const won = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          writer(index, index % 2 ? fixture.anotherStore() : fixture.store),
        ),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      const outbox = (await fixture.readDocument('order-d'))?.outbox ?? [];
      expect(outbox.map((event) => event.type)).toEqual(['ReserveStock', 'AuthorizePayment']);
      expect(await fixture.store.load('order-d')).toMatchObject({ version: 2, step: 'authorize-payment' });
    });

    it('when sagas are due, finished or running, then findDue, findUnfinished and countUnfinished see only the right ones', async () => {
      const due = started('order-e');
      await fixture.store.save(due.state, due.commands, { now });
      const later = started('order-f');
      await fixture.store.save({ ...later.state, deadline: now.getTime() + 10 ** 6 }, later.commands, {
        now,
      });
      const done = started('order-g');
      await fixture.store.save({ ...done.state, status: 'CANCELLED', deadline: null }, [], { now });
      const dueAt = due.state.deadline!;
      expect(await fixture.store.findDue('order', dueAt, 10)).toEqual(['order-e']);
      expect(await fixture.store.findDue('order', dueAt - 1, 10)).toEqual([]);
      expect(await fixture.store.findDue('another-saga', dueAt, 10)).toEqual([]);
      expect((await fixture.store.findUnfinished('order')).sort()).toEqual(['order-e', 'order-f']);
      expect(await fixture.store.countUnfinished('order')).toBe(2);
    });

    it('when a saga is unknown, then it loads as undefined', async () => {
      expect(await fixture.store.load('nope')).toBeUndefined();
    });
  });
}
