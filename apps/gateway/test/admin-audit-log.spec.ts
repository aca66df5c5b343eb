import { MemoryAdminAuditLog } from '../src/admin-audit/memory-admin-audit-log';
import { describeAdminAuditLogContract } from './admin-audit-log.contract';

describeAdminAuditLogContract('in memory', async () => ({
  log: new MemoryAdminAuditLog(5),
  capacity: 5,
  close: async () => undefined,
}));

describe('MemoryAdminAuditLog', () => {
  const action = {
    at: '2026-01-01T00:00:00.000Z',
    actor: null,
    method: 'POST',
    path: '/api/products',
    status: 401,
    outcome: 'refused' as const,
    traceId: '0af7651916cd43dd8448eb211c80319c',
  };

  it('when more than its capacity is recorded, then exactly the newest capacity are kept', async () => {
    const log = new MemoryAdminAuditLog(3);
    for (let index = 0; index < 10; index += 1) await log.record(action);
    expect((await log.page(100)).entries).toHaveLength(3);
  });

  it('when several actions are recorded within one millisecond, then their ids still order them', async () => {
    const log = new MemoryAdminAuditLog(10, () => 1000);
    for (let index = 0; index < 3; index += 1) await log.record(action);
    expect((await log.page(10)).entries.map((entry) => entry.id)).toEqual(['1000-2', '1000-1', '1000-0']);
  });
});
