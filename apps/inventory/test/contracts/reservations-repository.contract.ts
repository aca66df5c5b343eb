import { randomUUID } from 'node:crypto';
import { newOutboxEvent } from '@platform/messaging';
import type {
  Answer,
  Reservation,
  ReservationsRepository,
} from '../../src/reservations/reservations.repository.port';
import { anOrderId } from '../support/builders';
import type { ContractSubject } from './contract-subject';

const at = new Date('2026-01-02T03:04:05.000Z');

function anAnswer(type: string, orderId: string, commandId: string = randomUUID()): Answer {
  return { commandId, event: newOutboxEvent(type, { orderId }, { now: at }) };
}

function aReservation(orderId: string, overrides: Partial<Reservation> = {}): Reservation {
  return {
    orderId,
    status: 'reserved',
    items: [{ sku: 'A', quantity: 1 }],
    reserved: [{ sku: 'A', quantity: 1, holdId: 'hold-1' }],
    tombstone: false,
    decidedAt: at,
    settlement: null,
    settledAt: null,
    ...overrides,
  };
}

/** What every ReservationsRepository adapter must do; run against the in-memory adapter and against MongoDB. */
export function describeReservationsRepositoryContract(
  name: string,
  factory: () => Promise<ContractSubject<ReservationsRepository>>,
): void {
  describe(`ReservationsRepository contract: ${name}`, () => {
    let subject: ContractSubject<ReservationsRepository>;
    let reservations: ReservationsRepository;
    beforeAll(async () => {
      subject = await factory();
      reservations = subject.store;
      await reservations.ensureIndexes();
    });
    afterAll(() => subject.cleanup());

    /** The events waiting in the order's document, oldest first (publishing each to reach the next). */
    const answersOf = async (orderId: string) => {
      const types: string[] = [];
      for (;;) {
        const claimed = (
          await reservations.outbox.claim({
            owner: `c-${randomUUID()}`,
            limit: 10_000,
            leaseMs: 60_000,
            now: new Date(),
          })
        ).find((one) => one.aggregateId === orderId);
        if (!claimed) return types;
        types.push(claimed.event.type);
        await reservations.outbox.markPublished(claimed, new Date());
      }
    };

    it('when an order is decided, then its reservation is found and its answer offered', async () => {
      const reservation = aReservation(anOrderId());
      const answer = anAnswer('StockReserved', reservation.orderId);
      expect(await reservations.create(reservation, answer)).toBe(true);
      expect(await reservations.find(reservation.orderId)).toEqual(reservation);
      const [claimed] = (
        await reservations.outbox.claim({ owner: 'contract', limit: 10_000, leaseMs: 1, now: new Date() })
      ).filter((one) => one.aggregateId === reservation.orderId);
      expect(claimed?.event).toEqual(answer.event);
    });

    it('when nothing was decided, then find returns undefined', async () => {
      expect(await reservations.find(anOrderId())).toBeUndefined();
    });

    it('when three decisions race for one order, then exactly one is stored with its answer', async () => {
      const orderId = anOrderId();
      const candidates = [
        aReservation(orderId),
        aReservation(orderId, { status: 'released', tombstone: true, items: [], reserved: [] }),
        aReservation(orderId, { status: 'rejected', reserved: [] }),
      ];
      const types = ['StockReserved', 'StockReleased', 'StockRejected'];
      const created = await Promise.all(
        candidates.map((candidate, index) =>
          reservations.create(candidate, anAnswer(types[index] ?? '', orderId)),
        ),
      );
      expect(created.filter(Boolean)).toHaveLength(1);
      expect(await reservations.find(orderId)).toEqual(candidates[created.indexOf(true)]);
      expect(await answersOf(orderId)).toEqual([types[created.indexOf(true)]]);
    });

    it('when a reserved order is settled, then the settlement is stored and its answer offered after the decision', async () => {
      const reservation = aReservation(anOrderId());
      await reservations.create(reservation, anAnswer('StockReserved', reservation.orderId));
      const settledAt = new Date(at.getTime() + 1000);
      expect(
        await reservations.settle(
          reservation.orderId,
          'committed',
          settledAt,
          anAnswer('StockCommitted', reservation.orderId),
        ),
      ).toBe(true);
      expect(await reservations.find(reservation.orderId)).toEqual({
        ...reservation,
        settlement: 'committed',
        settledAt,
      });
      expect(await answersOf(reservation.orderId)).toEqual(['StockReserved', 'StockCommitted']);
    });

    it('when 40 settlements race for one order, then exactly one succeeds and only its answer is written', async () => {
      const orderId = anOrderId();
      await reservations.create(aReservation(orderId), anAnswer('StockReserved', orderId));
      const kinds = Array.from({ length: 40 }, (_, index): 'committed' | 'released' =>
        index % 2 ? 'committed' : 'released',
      );
      const settled = await Promise.all(
        kinds.map((kind) =>
          reservations.settle(
            orderId,
            kind,
            at,
            anAnswer(kind === 'committed' ? 'StockCommitted' : 'StockReleased', orderId),
          ),
        ),
      );
      expect(settled.filter(Boolean)).toHaveLength(1);
      const winner = kinds[settled.indexOf(true)];
      expect((await reservations.find(orderId))?.settlement).toBe(winner);
      expect(await answersOf(orderId)).toEqual([
        'StockReserved',
        winner === 'committed' ? 'StockCommitted' : 'StockReleased',
      ]);
    });

    it.each([
      ['rejected', { status: 'rejected' as const, reserved: [] }],
      ['a tombstone', { status: 'released' as const, tombstone: true, items: [], reserved: [] }],
    ])('when the order is %s, then it cannot be settled', async (_case, overrides) => {
      const orderId = anOrderId();
      await reservations.create(aReservation(orderId, overrides), anAnswer('StockRejected', orderId));
      expect(await reservations.settle(orderId, 'committed', at, anAnswer('StockCommitted', orderId))).toBe(
        false,
      );
      expect((await reservations.find(orderId))?.settlement).toBeNull();
    });

    it('when the order is unknown, then it cannot be settled and nothing is stored', async () => {
      const orderId = anOrderId();
      expect(await reservations.settle(orderId, 'released', at, anAnswer('StockReleased', orderId))).toBe(
        false,
      );
      expect(await reservations.find(orderId)).toBeUndefined();
    });

    it('when a command is answered again, then each command id gets one answer, the deciding and settling ones included', async () => {
      const orderId = anOrderId();
      const [decider, settler, other] = [randomUUID(), randomUUID(), randomUUID()];
      await reservations.create(aReservation(orderId), anAnswer('StockReserved', orderId, decider));
      await reservations.settle(orderId, 'released', at, anAnswer('StockReleased', orderId, settler));
      await reservations.reply(orderId, anAnswer('StockReserved', orderId, decider));
      await reservations.reply(orderId, anAnswer('StockReleased', orderId, settler));
      await Promise.all(
        Array.from({ length: 10 }, () =>
          reservations.reply(orderId, anAnswer('StockReleased', orderId, other)),
        ),
      );
      expect(await answersOf(orderId)).toEqual(['StockReserved', 'StockReleased', 'StockReleased']);
    });

    it('when a write adds an answer, then the outbox relay is woken, and not when it adds none', async () => {
      const orderId = anOrderId();
      const commandId = randomUUID();
      let wakeUps = 0;
      const stop = reservations.outbox.written.listen(() => wakeUps++);
      await reservations.create(aReservation(orderId), anAnswer('StockReserved', orderId, commandId));
      await reservations.create(aReservation(orderId), anAnswer('StockReserved', orderId));
      await reservations.settle(orderId, 'committed', at, anAnswer('StockCommitted', orderId));
      await reservations.settle(orderId, 'committed', at, anAnswer('StockCommitted', orderId));
      await reservations.reply(orderId, anAnswer('StockReserved', orderId, commandId));
      await reservations.reply(orderId, anAnswer('StockReserved', orderId));
      stop();
      expect(wakeUps).toBe(3);
    });
  });
}
