import type { RunningApp } from '@platform/testing';
import { ManualRuntime, instantRuntime } from './support/manual-time';
import { ProviderClient, aCharge, aKey, startSimulator } from './support/provider-client';

describe('POST /v1/charges (test tokens)', () => {
  let simulator: RunningApp;
  let provider: ProviderClient;
  beforeAll(async () => {
    simulator = await startSimulator({}, { ...instantRuntime, clock: () => ManualRuntime.now });
    provider = new ProviderClient(simulator.baseUrl);
  });
  afterAll(() => simulator.close());

  it('when tok_visa is charged, then 201 with a succeeded charge echoing what was asked', async () => {
    const reply = await provider.charge(
      aCharge({ currency: 'EUR', metadata: { orderId: 'ord-visa' } }),
      aKey(),
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.stringMatching(/^ch_[0-9a-f]{24}$/),
      object: 'charge',
      amount: 2599,
      amount_refunded: 0,
      currency: 'eur',
      status: 'succeeded',
      paid: true,
      captured: true,
      refunded: false,
      source: 'tok_visa',
      description: 'order ord-1',
      metadata: { orderId: 'ord-visa' },
      failure_code: null,
      failure_message: null,
      created: ManualRuntime.now.getTime() / 1000,
    });
    expect((await provider.get(`/v1/charges/${reply.body.id}`)).body).toEqual(reply.body);
  });

  it('when tok_chargeDeclined is charged, then 402 card_declined, and the failed charge is recorded', async () => {
    const reply = await provider.charge(aCharge({ source: 'tok_chargeDeclined' }), aKey());
    expect(reply.status).toBe(402);
    expect(reply.body).toEqual({
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        charge: expect.stringMatching(/^ch_/),
      },
    });
    const charge = (await provider.get(`/v1/charges/${reply.body.error.charge}`)).body;
    expect(charge).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });
  });

  it('when an unknown token is charged, then 400 resource_missing on source and no charge is made', async () => {
    const before = (await provider.charges()).length;
    const reply = await provider.charge(aCharge({ source: 'tok_unknown' }), aKey());
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'source',
    });
    expect(await provider.charges()).toHaveLength(before);
  });

  it('when a token named like an Object property is charged, then it is unknown too', async () => {
    expect((await provider.charge(aCharge({ source: 'constructor' }), aKey())).status).toBe(400);
  });

  it.each([
    [{ amount: undefined }, 'parameter_missing', 'amount'],
    [{ amount: 0 }, 'parameter_invalid', 'amount'],
    [{ amount: 10.5 }, 'parameter_invalid', 'amount'],
    [{ currency: 'euro' }, 'parameter_invalid', 'currency'],
    [{ source: undefined }, 'parameter_missing', 'source'],
    [{ metadata: { orderId: 42 } }, 'parameter_invalid', 'metadata[orderId]'],
    [{ capture: false }, 'parameter_unknown', 'capture'],
  ])('when the body is %p, then 400 %s naming %s, in Stripe shape', async (overrides, code, param) => {
    const reply = await provider.charge(aCharge(overrides), aKey());
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ type: 'invalid_request_error', code, param });
  });

  it('when no Idempotency-Key is sent, then each request charges anew', async () => {
    const body = aCharge({ metadata: { orderId: 'ord-no-key' } });
    const first = await provider.charge(body);
    const second = await provider.charge(body);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.id).not.toBe(second.body.id);
    expect(await provider.charges('?metadata[orderId]=ord-no-key')).toHaveLength(2);
  });
});

describe('GET /v1/charges', () => {
  let simulator: RunningApp;
  let provider: ProviderClient;
  beforeAll(async () => {
    simulator = await startSimulator({}, instantRuntime);
    provider = new ProviderClient(simulator.baseUrl);
  });
  afterAll(() => simulator.close());

  it('when charges were made, then all are listed newest first in a Stripe list, and metadata filters them', async () => {
    const made = [];
    for (const [orderId, source] of [
      ['ord-a', 'tok_visa'],
      ['ord-b', 'tok_chargeDeclined'],
      ['ord-a', 'tok_visa'],
    ] as const) {
      const reply = await provider.charge(aCharge({ source, metadata: { orderId } }), aKey());
      made.push(reply.body.id ?? reply.body.error.charge);
    }
    const all = await provider.get('/v1/charges');
    expect(all.body).toMatchObject({ object: 'list', url: '/v1/charges', has_more: false });
    expect(all.body.data.map((charge: { id: string }) => charge.id)).toEqual([...made].reverse());
    const forA = await provider.charges('?metadata[orderId]=ord-a');
    expect(forA.map((charge) => charge.id)).toEqual([made[2], made[0]]);
    expect(await provider.charges('?metadata[orderId]=ord-none')).toEqual([]);
  });

  it('when an unknown charge is asked for, then 404 resource_missing', async () => {
    const reply = await provider.get('/v1/charges/ch_missing');
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
  });

  it('when the probes are called, then health, readiness and metrics answer', async () => {
    expect((await provider.get('/healthz')).status).toBe(200);
    expect((await provider.get('/readyz')).status).toBe(200);
    const metrics = await fetch(`${simulator.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/http_server/);
  });
});
