import { type RunningApp, eventually } from '@platform/testing';
import { ManualRuntime } from './support/manual-time';
import { ProviderClient, aCharge, aKey, startSimulator } from './support/provider-client';

describe('tok_slow', () => {
  let runtime: ManualRuntime;
  let simulator: RunningApp;
  let provider: ProviderClient;
  beforeEach(async () => {
    runtime = new ManualRuntime();
    simulator = await startSimulator({ SLOW_TOKEN_DELAY_MS: '12000' }, runtime);
    provider = new ProviderClient(simulator.baseUrl);
  });
  afterEach(() => simulator.close());

  it('when tok_slow is charged, then it decides only after SLOW_TOKEN_DELAY_MS, and then succeeds', async () => {
    let answered = false;
    const reply = provider.charge(aCharge({ source: 'tok_slow' }), aKey()).then((result) => {
      answered = true;
      return result;
    });
    const sleep = await runtime.nextSleep();
    expect(sleep.ms).toBe(12000);
    expect(answered).toBe(false);
    expect(await provider.charges()).toEqual([]);
    sleep.end();
    const { status, body } = await reply;
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'succeeded', source: 'tok_slow' });
  });

  it('when the caller gives up before the delay ends, then the charge still lands, once', async () => {
    const key = aKey();
    const body = aCharge({ source: 'tok_slow', metadata: { orderId: 'ord-slow' } });
    const caller = new AbortController();
    const abandoned = provider.charge(body, key, caller.signal);
    const sleep = await runtime.nextSleep();
    caller.abort();
    await expect(abandoned).rejects.toThrow();
    expect(await provider.charges('?metadata[orderId]=ord-slow')).toEqual([]);
    sleep.end();
    const landed = await eventually(async () => {
      const charges = await provider.charges('?metadata[orderId]=ord-slow');
      return charges.length > 0 ? charges : undefined;
    });
    expect(landed).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    const retry = await provider.charge(body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await provider.charges('?metadata[orderId]=ord-slow')).toEqual([retry.body]);
  });
});
