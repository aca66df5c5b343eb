import { randomUUID } from 'node:crypto';
import { eventually } from '@platform/testing';
import { type TestSigningKey, createTestSigningKey } from '@platform/auth/testing';
import { type FakeUpstream, answer, echo, hang, startFakeUpstream } from './support/fake-upstream';
import { startGateway, type RunningGateway } from './support/gateway';

interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; roles: string[] } | null;
  method: string;
  path: string;
  status: number | null;
  outcome: string;
  traceId: string;
  details?: Record<string, unknown>;
}

/** Who changed which product or fault knob, when: recorded by the gateway, read by admins. */
describe('the audit trail of admin actions (/api/admin/audit)', () => {
  let signingKey: TestSigningKey;
  let auth: FakeUpstream;
  let inventory: FakeUpstream;
  let provider: FakeUpstream;
  let gateway: RunningGateway;
  let adminToken: string;
  beforeAll(async () => {
    signingKey = await createTestSigningKey('gateway-test-key');
    auth = await startFakeUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [signingKey.publicJwk] }));
    });
    inventory = await startFakeUpstream(echo);
    provider = await startFakeUpstream(echo);
    gateway = await startGateway({
      AUTH_URL: auth.url,
      INVENTORY_URL: inventory.url,
      PROVIDER_URL: provider.url,
    });
    adminToken = await signingKey.sign({ sub: 'admin-reader', roles: ['admin'] });
  });
  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), inventory.close(), provider.close()]);
  });
  beforeEach(() => inventory.answerWith(echo));

  const send = (method: string, path: string, token: string | undefined, body?: unknown) =>
    fetch(`${gateway.baseUrl}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const readAudit = async (query = 'limit=100', token = adminToken) => {
    const response = await send('GET', `/api/admin/audit?${query}`, token);
    return {
      response,
      page: (await response.json()) as { items: AuditEntry[]; nextCursor: string | null },
    };
  };

  /** The entries matching `predicate`, once `count` of them are recorded (recording follows the response). */
  const recorded = (predicate: (entry: AuditEntry) => boolean, count = 1) =>
    eventually(async () => {
      const matching = (await readAudit()).page.items.filter(predicate);
      return matching.length >= count ? matching : undefined;
    });

  it('when an admin creates a product and changes a fault knob, then both are recorded, newest first, with the admin’s id', async () => {
    const adminId = `admin-${randomUUID()}`;
    const token = await signingKey.sign({ sub: adminId, roles: ['admin'] });
    inventory.answerWith(answer(201, { sku: 'TEA-NEW' }));
    const created = await send('POST', '/api/products', token, {
      sku: 'TEA-NEW',
      name: 'New tea',
      priceCents: 450,
      currency: 'EUR',
      initialStock: 10,
    });
    expect(created.status).toBe(201);
    const knob = await send('PUT', '/api/admin/payment-provider/faults', token, { errorRate: 0.5 });
    expect(knob.status).toBe(200);

    const entries = await recorded((entry) => entry.actor?.id === adminId, 2);
    expect(entries).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { id: adminId, roles: ['admin'] },
        method: 'PUT',
        path: '/api/admin/payment-provider/faults',
        status: 200,
        outcome: 'succeeded',
        traceId: knob.headers.get('x-trace-id'),
        details: { errorRate: 0.5 },
      },
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { id: adminId, roles: ['admin'] },
        method: 'POST',
        path: '/api/products',
        status: 201,
        outcome: 'succeeded',
        traceId: created.headers.get('x-trace-id'),
        details: { sku: 'TEA-NEW', name: 'New tea', priceCents: 450, currency: 'EUR', initialStock: 10 },
      },
    ]);
    expect(Date.parse(entries[1]?.at ?? '')).toBeLessThanOrEqual(Date.parse(entries[0]?.at ?? ''));
  });

  it('when a customer tries a knob (the gateway refuses) and a product (inventory refuses), then both are recorded as refused, with the customer’s id', async () => {
    const customerId = `customer-${randomUUID()}`;
    const token = await signingKey.sign({ sub: customerId, roles: ['customer'] });
    expect((await send('PUT', '/api/admin/payment-provider/faults', token, { outage: true })).status).toBe(
      403,
    );
    inventory.answerWith(answer(403, { status: 403 }));
    expect((await send('POST', '/api/products/TEA-GREEN/restock', token, { quantity: 1 })).status).toBe(403);

    const entries = await recorded((entry) => entry.actor?.id === customerId, 2);
    expect(
      entries.map(({ method, path, status, outcome, actor }) => ({ method, path, status, outcome, actor })),
    ).toEqual([
      {
        method: 'POST',
        path: '/api/products/TEA-GREEN/restock',
        status: 403,
        outcome: 'refused',
        actor: { id: customerId, roles: ['customer'] },
      },
      {
        method: 'PUT',
        path: '/api/admin/payment-provider/faults',
        status: 403,
        outcome: 'refused',
        actor: { id: customerId, roles: ['customer'] },
      },
    ]);
  });

  it('when someone without a valid token tries, then the attempt is recorded as refused, with no actor', async () => {
    const sku = `SKU-${randomUUID()}`;
    expect((await send('DELETE', '/api/admin/payment-provider/faults', 'not.a.jwt')).status).toBe(401);
    inventory.answerWith(answer(401, { status: 401 }));
    expect((await send('POST', `/api/products/${sku}/restock`, undefined, { quantity: 1 })).status).toBe(401);
    const [entry] = await recorded((candidate) => candidate.path === `/api/products/${sku}/restock`);
    expect(entry).toMatchObject({ actor: null, status: 401, outcome: 'refused' });
  });

  it('when the admin goes away before the answer, then the action is recorded as abandoned, with no status', async () => {
    const sku = `SKU-${randomUUID()}`;
    inventory.answerWith(hang);
    const received = inventory.received.length;
    const caller = new AbortController();
    const request = fetch(`${gateway.baseUrl}/api/products/${sku}/restock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 3 }),
      signal: caller.signal,
    });
    // Gone once inventory holds the request: it may or may not have restocked.
    await eventually(async () => (inventory.received.length > received ? true : undefined));
    caller.abort();
    await expect(request).rejects.toThrow();
    const [entry] = await recorded((candidate) => candidate.path === `/api/products/${sku}/restock`);
    expect(entry).toMatchObject({
      actor: { id: 'admin-reader' },
      status: null,
      outcome: 'abandoned',
      details: { quantity: 3 },
    });
  });

  it('when admins only read (GET), then nothing is recorded', async () => {
    const token = await signingKey.sign({ sub: `admin-${randomUUID()}`, roles: ['admin'] });
    const sku = `SKU-${randomUUID()}`;
    expect((await send('GET', `/api/products/${sku}`, token)).status).toBe(200);
    expect((await send('GET', '/api/admin/payment-provider/faults', token)).status).toBe(200);
    // A write after the reads: once it is recorded, the reads would have been too.
    expect((await send('POST', `/api/products/${sku}/restock`, token, { quantity: 1 })).status).toBe(200);
    await recorded((entry) => entry.path === `/api/products/${sku}/restock`);
    const { page } = await readAudit();
    expect(page.items.filter((entry) => entry.method === 'GET')).toEqual([]);
    expect(page.items.filter((entry) => entry.path.includes(sku))).toHaveLength(1);
  });

  it('when a request carries secrets, then the audit keeps none: no token, no header, no body field outside its allow-list', async () => {
    const adminId = `admin-${randomUUID()}`;
    const token = await signingKey.sign({ sub: adminId, roles: ['admin'] });
    await send('POST', '/api/products', token, {
      sku: 'TEA-SECRET',
      password: 'hunter2-audit-canary',
      cardToken: 'tok_visa_audit_canary',
    });
    await recorded((entry) => entry.actor?.id === adminId);
    const text = JSON.stringify((await readAudit()).page);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toContain(adminToken);
    expect(text).not.toMatch(/bearer|authorization/i);
    expect(text).not.toContain('hunter2-audit-canary');
    expect(text).not.toContain('tok_visa_audit_canary');
  });

  it('when read a page at a time, then the cursor continues after the last entry, newest first', async () => {
    const adminId = `admin-${randomUUID()}`;
    const token = await signingKey.sign({ sub: adminId, roles: ['admin'] });
    for (const sku of ['P-1', 'P-2', 'P-3'])
      await send('POST', `/api/products/${sku}/restock`, token, { quantity: 1 });
    await recorded((entry) => entry.actor?.id === adminId, 3);
    const first = await readAudit('limit=2');
    expect(first.page.items.map((entry) => entry.path)).toEqual([
      '/api/products/P-3/restock',
      '/api/products/P-2/restock',
    ]);
    expect(first.page.nextCursor).toEqual(expect.any(String));
    const second = await readAudit(`limit=2&cursor=${first.page.nextCursor ?? ''}`);
    expect(second.page.items[0]?.path).toBe('/api/products/P-1/restock');
  });

  it('when an admin reads, then 200 with Cache-Control: no-store', async () => {
    const { response } = await readAudit('limit=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('when a customer reads, then 403 problem+json', async () => {
    const token = await signingKey.sign({ sub: 'customer-reader', roles: ['customer'] });
    const response = await send('GET', '/api/admin/audit', token);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).not.toHaveProperty('items');
  });

  it.each([
    ['no token', undefined],
    ['a forged token', 'not.a.jwt'],
  ])('when the caller sends %s, then 401 problem+json with WWW-Authenticate', async (_case, token) => {
    const response = await send('GET', '/api/admin/audit', token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['a limit of 0', 'limit=0', 'validation-failed'],
    ['a limit above 100', 'limit=101', 'validation-failed'],
    ['an unknown parameter', 'since=yesterday', 'validation-failed'],
    ['a cursor it did not issue', 'cursor=bm90LWEtY3Vyc29y', 'invalid-cursor'],
  ])('when an admin sends %s, then 400 problem+json', async (_case, query, type) => {
    const { response, page } = await readAudit(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(page).toMatchObject({ type: `/problems/${type}` });
  });
});
