import type { AdminAction } from '../src/admin-audit/admin-action';
import type { AdminAuditLog } from '../src/admin-audit/admin-audit-log';

export interface AuditLogHarness {
  /** A log of its own (nothing recorded yet) that keeps the newest `capacity` actions. */
  log: AdminAuditLog;
  capacity: number;
  close(): Promise<void>;
}

const action = (path: string, overrides: Partial<AdminAction> = {}): AdminAction => ({
  at: new Date().toISOString(),
  actor: { id: 'admin-1', roles: ['admin'] },
  method: 'POST',
  path,
  status: 201,
  outcome: 'succeeded',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  ...overrides,
});

async function everyPath(log: AdminAuditLog): Promise<string[]> {
  const paths: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await log.page(100, before);
    paths.push(...page.entries.map((entry) => entry.path));
    if (!page.more) return paths;
    before = page.entries.at(-1)?.id;
  }
}

/** Every AdminAuditLog adapter must pass these; the Redis one against a real server. */
export function describeAdminAuditLogContract(name: string, start: () => Promise<AuditLogHarness>): void {
  describe(`AdminAuditLog contract: ${name}`, () => {
    let harness: AuditLogHarness;
    let log: AdminAuditLog;
    beforeEach(async () => {
      harness = await start();
      log = harness.log;
    });
    afterEach(() => harness.close());

    it('when nothing was recorded, then a page is empty and nothing follows', async () => {
      expect(await log.page(10)).toEqual({ entries: [], more: false });
    });

    it('when actions are recorded, then they read back whole, newest first, each with its own id', async () => {
      const created = action('/api/products', {
        details: { sku: 'TEA-1', priceCents: 450, currency: 'EUR' },
      });
      const refused = action('/api/admin/payment-provider/faults', {
        actor: null,
        method: 'PUT',
        status: 401,
        outcome: 'refused',
      });
      await log.record(created);
      await log.record(refused);
      const page = await log.page(10);
      expect(page.entries).toEqual([
        { ...refused, id: expect.any(String) },
        { ...created, id: expect.any(String) },
      ]);
      expect(page.entries[0]?.id).not.toBe(page.entries[1]?.id);
      expect(page.more).toBe(false);
    });

    it('when read a page at a time, then each page continues after the last, none repeats, none is missed', async () => {
      for (let index = 1; index <= 5; index += 1)
        await log.record(action(`/api/products/SKU-${index}/restock`));
      const first = await log.page(2);
      expect(first.entries.map((entry) => entry.path)).toEqual([
        '/api/products/SKU-5/restock',
        '/api/products/SKU-4/restock',
      ]);
      expect(first.more).toBe(true);
      const second = await log.page(2, first.entries.at(-1)?.id);
      expect(second.entries.map((entry) => entry.path)).toEqual([
        '/api/products/SKU-3/restock',
        '/api/products/SKU-2/restock',
      ]);
      expect(second.more).toBe(true);
      const last = await log.page(2, second.entries.at(-1)?.id);
      expect(last.entries.map((entry) => entry.path)).toEqual(['/api/products/SKU-1/restock']);
      expect(last.more).toBe(false);
      expect(await log.page(2, last.entries.at(-1)?.id)).toEqual({ entries: [], more: false });
    });

    it('when actions arrive while a caller pages, then the next page still continues where it left off', async () => {
      for (let index = 1; index <= 3; index += 1)
        await log.record(action(`/api/products/OLD-${index}/restock`));
      const first = await log.page(2);
      await log.record(action('/api/products/NEW/restock'));
      const second = await log.page(2, first.entries.at(-1)?.id);
      expect(second.entries.map((entry) => entry.path)).toEqual(['/api/products/OLD-1/restock']);
    });

    it('when far more actions than the capacity are recorded, then the newest are all kept and the oldest dropped', async () => {
      const recorded = harness.capacity + 250;
      for (let index = 1; index <= recorded; index += 1)
        await log.record(action(`/api/products/SKU-${index}`));
      const kept = await everyPath(log);
      expect(kept.length).toBeGreaterThanOrEqual(harness.capacity);
      expect(kept.length).toBeLessThan(recorded);
      expect(kept.slice(0, harness.capacity)).toEqual(
        Array.from({ length: harness.capacity }, (_, index) => `/api/products/SKU-${recorded - index}`),
      );
      expect(kept).not.toContain('/api/products/SKU-1');
    });
  });
}
