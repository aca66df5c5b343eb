import type { RunningApp } from '@platform/testing';
import { instantRuntime } from './support/manual-time';
import { ProviderClient, aCharge, aKey, startSimulator } from './support/provider-client';

describe('Idempotency-Key on POST /v1/charges and /v1/refunds', () => {
  let simulator: RunningApp;
  let provider: ProviderClient;
  beforeAll(async () => {
    simulator = await startSimulator({}, instantRuntime);
    provider = new ProviderClient(simulator.baseUrl);
  });
  afterAll(() => simulator.close());

  it('when the same request is repeated with its key, then the first charge is replayed and marked so', async () => {
    const key = aKey();
    const body = aCharge({ metadata: { orderId: 'ord-replay' } });
    const first = await provider.charge(body, key);
    const again = await provider.charge(body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await provider.charges('?metadata[orderId]=ord-replay')).toHaveLength(1);
  });

  it('when 20 identical requests with one key arrive in parallel, then exactly one charge is made and all get it', async () => {
    const key = aKey();
    const body = aCharge({ metadata: { orderId: 'ord-parallel' } });
    const replies = await Promise.all(Array.from({ length: 20 }, () => provider.charge(body, key)));
    expect(replies.map((reply) => reply.status)).toEqual(Array(20).fill(201));
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    expect(replies.filter((reply) => reply.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await provider.charges('?metadata[orderId]=ord-parallel')).toHaveLength(1);
  });

  it('when a declined charge is repeated with its key, then the same 402 is replayed and no second charge made', async () => {
    const key = aKey();
    const body = aCharge({ source: 'tok_chargeDeclined', metadata: { orderId: 'ord-declined-replay' } });
    const first = await provider.charge(body, key);
    const again = await provider.charge(body, key);
    expect([first.status, again.status]).toEqual([402, 402]);
    expect(again.body).toEqual(first.body);
    expect(await provider.charges('?metadata[orderId]=ord-declined-replay')).toHaveLength(1);
  });

  it('when a key is reused with a different body, then 400 idempotency_error and nothing is charged', async () => {
    const key = aKey();
    await provider.charge(aCharge({ metadata: { orderId: 'ord-reuse' } }), key);
    const reply = await provider.charge(aCharge({ amount: 1, metadata: { orderId: 'ord-reuse' } }), key);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      type: 'idempotency_error',
      message: expect.stringContaining(key),
    });
    expect(await provider.charges('?metadata[orderId]=ord-reuse')).toHaveLength(1);
  });

  it('when a request failed validation, then nothing was saved and the key can still be used', async () => {
    const key = aKey();
    expect((await provider.charge(aCharge({ amount: -1 }), key)).status).toBe(400);
    expect((await provider.charge(aCharge(), key)).status).toBe(201);
  });

  it('when the key is longer than 255 characters, then 400 and no charge', async () => {
    const before = (await provider.charges()).length;
    const reply = await provider.charge(aCharge(), 'k'.repeat(256));
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'idempotency_key_invalid',
    });
    expect(await provider.charges()).toHaveLength(before);
  });

  it('when one key names both a charge and its refund, then each endpoint keeps its own record', async () => {
    const key = aKey();
    const charge = await provider.charge(aCharge(), key);
    const refund = await provider.refund({ charge: charge.body.id }, key);
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ object: 'refund', charge: charge.body.id });
  });
});
