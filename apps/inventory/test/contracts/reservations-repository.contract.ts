import type { StoredOutboxEvent } from '@platform/messaging';
import type {
  ReservationDecision,
  ReservationsRepository,
  Settlement,
} from '../../src/reservations/reservations.repository.port';
import { anOrderId } from '../support/builders';
import type { ContractSubject } from './contract-subject';

function anEvent(type: string, orderId: string): StoredOutboxEvent {
  return {
    id: `${type}-${orderId}-${Math.random()}`,
    type,
    occurredAt: new Date('2026-01-02T03:04:05.000Z'),
    data: { orderId },
    traceparent: null,
    state: 'pending',
    attempts: 0,
  };
}

function aDecision(orderId: string, overrides: Partial<ReservationDecision> = {}): ReservationDecision {
  return {
    orderId,
    status: 'reserved',
    items: [{ sku: 'A', quantity: 1 }],
    tombstone: false,
    decidedAt: new Date('2026-01-02T03:04:05.000Z'),
    outbox: [anEvent('StockReserved', orderId)],
    ...overrides,
  };
}

function aSettlement(orderId: string, overrides: Partial<Settlement> = {}): Settlement {
  return {
    orderId,
    status: 'committed',
    settledAt: new Date('2026-01-02T03:04:05.000Z'),
    outbox: [anEvent('StockCommitted', orderId)],
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

    const claimedIds = async () =>
      (
        await reservations.outbox.claim({
          owner: `c-${Math.random()}`,
          limit: 10_000,
          leaseMs: 1,
          now: new Date(),
        })
      ).map((one) => one.event.id);

    it('when an order is decided, then the decision is found with its event', async () => {
      const decision = aDecision(anOrderId());
      expect(await reservations.decide(decision)).toBe(true);
      expect(await reservations.findDecision(decision.orderId)).toEqual(decision);
      expect(await claimedIds()).toContain(decision.outbox[0]?.id);
    });

    it('when nothing was decided, then findDecision and findSettlement return undefined', async () => {
      expect(await reservations.findDecision(anOrderId())).toBeUndefined();
      expect(await reservations.findSettlement(anOrderId())).toBeUndefined();
    });

    it('when two decisions race for one order, then exactly one is stored', async () => {
      const orderId = anOrderId();
      const results = await Promise.all([
        reservations.decide(aDecision(orderId)),
        reservations.decide(aDecision(orderId, { status: 'released', tombstone: true, items: [] })),
        reservations.decide(aDecision(orderId, { status: 'rejected' })),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await reservations.findDecision(orderId);
      const winner = [aDecision(orderId).status, 'released', 'rejected'][results.indexOf(true)];
      expect(stored?.status).toBe(winner);
    });

    it('when two settlements race for one order, then exactly one is stored', async () => {
      const orderId = anOrderId();
      const results = await Promise.all([
        reservations.settle(aSettlement(orderId)),
        reservations.settle(aSettlement(orderId, { status: 'released' })),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await reservations.findSettlement(orderId))?.status).toBe(
        results[0] ? 'committed' : 'released',
      );
    });

    it('when an order id looks like another kind of document, then it does not collide with it', async () => {
      const orderId = anOrderId();
      await reservations.settle(aSettlement(orderId));
      expect(await reservations.findDecision(`settlement:${orderId}`)).toBeUndefined();
      expect(await reservations.decide(aDecision(`settlement:${orderId}`))).toBe(true);
      expect((await reservations.findSettlement(orderId))?.status).toBe('committed');
    });

    it('when a reply is written twice for one command, then its event is offered once', async () => {
      const orderId = anOrderId();
      const first = anEvent('StockReleased', orderId);
      await reservations.reply(orderId, `command-${orderId}`, first);
      await reservations.reply(orderId, `command-${orderId}`, anEvent('StockReleased', orderId));
      const ids = await claimedIds();
      expect(ids).toContain(first.id);
      expect(ids.filter((id) => id.startsWith(`StockReleased-${orderId}`))).toHaveLength(1);
    });
  });
}
