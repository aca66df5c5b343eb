import type { RunningApp } from '@platform/testing';
import { ManualRuntime, instantRuntime } from './support/manual-time';
import { ProviderClient, aCharge, aKey, startSimulator } from './support/provider-client';

describe('POST /v1/refunds', () => {
  let simulator: RunningApp;
  let provider: ProviderClient;
  beforeAll(async () => {
    simulator = await startSimulator({}, { ...instantRuntime, clock: () => ManualRuntime.now });
    provider = new ProviderClient(simulator.baseUrl);
  });
  afterAll(() => simulator.close());

  const aSucceededCharge = async (): Promise<string> => (await provider.charge(aCharge(), aKey())).body.id;

  it('when a succeeded charge is refunded, then 201 with a full refund, and the charge shows refunded', async () => {
    const chargeId = await aSucceededCharge();
    const reply = await provider.refund(
      { charge: chargeId, metadata: { reason: 'order timed out' } },
      aKey(),
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.stringMatching(/^re_[0-9a-f]{24}$/),
      object: 'refund',
      amount: 2599,
      charge: chargeId,
      currency: 'eur',
      status: 'succeeded',
      metadata: { reason: 'order timed out' },
      created: ManualRuntime.now.getTime() / 1000,
    });
    expect((await provider.get(`/v1/charges/${chargeId}`)).body).toMatchObject({
      refunded: true,
      amount_refunded: 2599,
    });
    expect((await provider.get(`/v1/refunds?charge=${chargeId}`)).body.data).toEqual([reply.body]);
  });

  it('when a refund is repeated with its key, then the first refund is replayed and only one exists', async () => {
    const chargeId = await aSucceededCharge();
    const key = aKey();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => provider.refund({ charge: chargeId }, key)),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(5).fill(201));
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    expect((await provider.get(`/v1/refunds?charge=${chargeId}`)).body.data).toHaveLength(1);
  });

  it('when a refund key is reused for another charge, then 400 idempotency_error', async () => {
    const key = aKey();
    await provider.refund({ charge: await aSucceededCharge() }, key);
    const reply = await provider.refund({ charge: await aSucceededCharge() }, key);
    expect(reply.status).toBe(400);
    expect(reply.body.error.type).toBe('idempotency_error');
  });

  it('when a refunded charge is refunded again under a new key, then 400 charge_already_refunded', async () => {
    const chargeId = await aSucceededCharge();
    await provider.refund({ charge: chargeId }, aKey());
    const reply = await provider.refund({ charge: chargeId }, aKey());
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ code: 'charge_already_refunded', param: 'charge' });
    expect((await provider.get(`/v1/refunds?charge=${chargeId}`)).body.data).toHaveLength(1);
  });

  it('when an unknown charge is refunded, then 404 resource_missing and no refund', async () => {
    const reply = await provider.refund({ charge: 'ch_unknown' }, aKey());
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'charge',
    });
    expect((await provider.get('/v1/refunds?charge=ch_unknown')).body.data).toEqual([]);
  });

  it('when a declined charge is refunded, then 400 charge_not_refundable', async () => {
    const declined = await provider.charge(aCharge({ source: 'tok_chargeDeclined' }), aKey());
    const reply = await provider.refund({ charge: declined.body.error.charge }, aKey());
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('charge_not_refundable');
  });

  it.each([
    [{}, 'parameter_missing'],
    [{ charge: '' }, 'parameter_invalid'],
    [{ charge: 'ch_x', amount: 5 }, 'parameter_unknown'],
  ])('when the body is %p, then 400 %s', async (body, code) => {
    const reply = await provider.refund(body, aKey());
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(code);
  });
});
