import { formatReport } from './format.ts';
import { evaluate, exitCodeOf, invariantIds, type PlatformFacts } from './report.ts';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const read = <T>(value: T) => ({ ok: true as const, value });

/** A consistent platform: one sku, one confirmed order, its charge, payment and notification. */
function cleanFacts(): PlatformFacts {
  return {
    stocks: read([
      { sku: 'sku-1', level: { available: 8, reserved: 0, sold: 2, initial: 10, restocked: 0 } },
    ]),
    orders: read([
      {
        orderId: 'o-1',
        status: 'CONFIRMED' as const,
        items: [{ sku: 'sku-1', quantity: 2 }],
        totalCents: 2500,
      },
    ]),
    charges: read([{ id: 'ch-1', orderId: 'o-1', amount: 2500, status: 'succeeded', refunded: false }]),
    payments: read([{ orderId: 'o-1', paymentId: 'pay-1', status: 'AUTHORIZED', chargeId: 'ch-1' }]),
    notifications: read([{ id: 'n-1', orderId: 'o-1', type: 'ORDER_CONFIRMED' }]),
    outbox: read([]),
    deadLetters: read([]),
    lags: read([{ groupId: 'order', topic: 't', partition: 0, lag: 0 }]),
    notes: [],
  };
}

describe('the report', () => {
  it('when the platform is consistent, then every invariant is ok, in the catalogue order, and the exit code is 0', () => {
    const report = evaluate(cleanFacts(), { now, graceMs: 5000 });

    expect(report.ok).toBe(true);
    expect(report.results.map((result) => [result.invariant, result.status])).toEqual(
      invariantIds.map((id) => [id, 'ok']),
    );
    expect(exitCodeOf(report)).toBe(0);
  });

  it('when one invariant is broken, then it alone is violated, with the offending id, and the exit code is 1', () => {
    const facts = cleanFacts();
    facts.charges = read([
      { id: 'ch-1', orderId: 'o-1', amount: 2500, status: 'succeeded', refunded: false },
      { id: 'ch-2', orderId: 'o-1', amount: 2500, status: 'succeeded', refunded: false },
    ]);

    const report = evaluate(facts, { now, graceMs: 5000 });

    expect(report.results.filter((result) => result.status !== 'ok')).toEqual([
      expect.objectContaining({
        invariant: 'charges-at-provider',
        status: 'violated',
        violations: [{ id: 'o-1', detail: 'CONFIRMED: 2 kept charges ch-1, ch-2' }],
      }),
    ]);
    expect(exitCodeOf(report)).toBe(1);
  });

  it('when a source could not be read, then the invariants needing it are unchecked with its error, the others checked, and the exit code is 3', () => {
    const facts = cleanFacts();
    facts.charges = { ok: false, error: 'cannot reach the provider' };

    const report = evaluate(facts, { now, graceMs: 5000 });

    expect(report.results.find((result) => result.invariant === 'charges-at-provider')).toMatchObject({
      status: 'unchecked',
      error: 'charges: cannot reach the provider',
    });
    expect(report.results.find((result) => result.invariant === 'charges-in-ledger')).toMatchObject({
      status: 'ok',
      scope: expect.stringContaining('the provider unread'),
    });
    expect(report.ok).toBe(false);
    expect(exitCodeOf(report)).toBe(3);
  });

  it('when it is printed, then each invariant has one line with its ids capped, then the violations, then the notes', () => {
    const facts = cleanFacts();
    facts.stocks = read(
      Array.from({ length: 12 }, (_, index) => ({
        sku: `sku-${index}`,
        level: { available: -1, reserved: 0, sold: 0, initial: 0, restocked: 0 },
      })),
    );
    facts.notes = ['payment.payments does not exist: read as empty'];

    const text = formatReport(evaluate(facts, { now, graceMs: 5000 }), 2);

    const lines = text.split('\n');
    expect(lines.slice(0, invariantIds.length).map((line) => line.split(/\s+/)[0])).toEqual([
      ...invariantIds,
    ]);
    expect(lines).toContain('stock-conserved       12 violations: sku-0, sku-1 and 10 more');
    expect(text).toMatch(/stock-conserved\s+sku-0\s+stock not conserved/);
    expect(text).toMatch(/stock-conserved\s+…\s+10 more \(--json lists every one\)/);
    expect(lines).toContain('consumer-lag          ok (1 group)');
    expect(text.endsWith('notes:\n  payment.payments does not exist: read as empty')).toBe(true);
  });
});
