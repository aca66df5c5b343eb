import type { RunningApp } from '@platform/testing';
import { ManualRuntime } from './support/manual-time';
import { ProviderClient, aCharge, aKey, startSimulator } from './support/provider-client';

describe('fault knobs', () => {
  let runtime: ManualRuntime;
  let simulator: RunningApp;
  let provider: ProviderClient;
  beforeEach(async () => {
    runtime = new ManualRuntime();
    simulator = await startSimulator({}, runtime);
    provider = new ProviderClient(simulator.baseUrl);
  });
  afterEach(() => simulator.close());

  describe('/admin/faults', () => {
    it('when nothing was set, then no fault is in force', async () => {
      expect((await provider.get('/admin/faults')).body).toEqual({
        latencyMs: 0,
        errorRate: 0,
        outage: false,
      });
    });

    it('when faults are put, then they are in force and read back; a knob left out is off', async () => {
      await provider.setFaults({ latencyMs: 100, errorRate: 0.5, outage: true });
      const reply = await provider.setFaults({ errorRate: 0.25 });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ latencyMs: 0, errorRate: 0.25, outage: false });
      expect((await provider.get('/admin/faults')).body).toEqual(reply.body);
    });

    it('when faults are deleted, then none is in force', async () => {
      await provider.setFaults({ latencyMs: 100, errorRate: 0.5, outage: true });
      expect((await provider.clearFaults()).body).toEqual({ latencyMs: 0, errorRate: 0, outage: false });
      expect((await provider.get('/admin/faults')).body).toEqual({
        latencyMs: 0,
        errorRate: 0,
        outage: false,
      });
    });

    it.each([
      [{ errorRate: 1.5 }],
      [{ errorRate: -0.1 }],
      [{ latencyMs: -1 }],
      [{ latencyMs: 2.5 }],
      [{ outage: 'yes' }],
      [{ chaos: true }],
    ])('when %p is put, then 400 problem+json and the faults are unchanged', async (settings) => {
      await provider.setFaults({ errorRate: 0.1 });
      const reply = await provider.setFaults(settings);
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await provider.get('/admin/faults')).body).toEqual({
        latencyMs: 0,
        errorRate: 0.1,
        outage: false,
      });
    });
  });

  describe('outage', () => {
    it('when the outage is on, then every /v1 call answers 503 api_error and nothing is charged', async () => {
      await provider.setFaults({ outage: true });
      const charge = await provider.charge(aCharge(), aKey());
      expect(charge.status).toBe(503);
      expect(charge.body.error.type).toBe('api_error');
      expect((await provider.refund({ charge: 'ch_x' }, aKey())).status).toBe(503);
      expect((await provider.get('/v1/charges')).status).toBe(503);
      expect((await provider.get('/healthz')).status).toBe(200);
      await provider.clearFaults();
      expect(await provider.charges()).toEqual([]);
    });

    it('when the outage is turned off, then a retry with the same key charges once', async () => {
      const key = aKey();
      await provider.setFaults({ outage: true });
      expect((await provider.charge(aCharge(), key)).status).toBe(503);
      await provider.setFaults({ outage: false });
      const retry = await provider.charge(aCharge(), key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await provider.charges()).toHaveLength(1);
    });
  });

  describe('error rate', () => {
    it('when the random draw falls under the rate, then 500 api_error and nothing is charged', async () => {
      await provider.setFaults({ errorRate: 0.5 });
      runtime.nextRandom = 0.49;
      const reply = await provider.charge(aCharge(), aKey());
      expect(reply.status).toBe(500);
      expect(reply.body.error.type).toBe('api_error');
      runtime.nextRandom = 0;
      await provider.clearFaults();
      expect(await provider.charges()).toEqual([]);
    });

    it('when the random draw is at or over the rate, then the call goes through', async () => {
      await provider.setFaults({ errorRate: 0.5 });
      runtime.nextRandom = 0.5;
      expect((await provider.charge(aCharge(), aKey())).status).toBe(201);
    });

    it('when the rate is 1, then every call fails; when it is 0, none does', async () => {
      runtime.nextRandom = 0.999;
      await provider.setFaults({ errorRate: 1 });
      expect((await provider.charge(aCharge(), aKey())).status).toBe(500);
      runtime.nextRandom = 0;
      await provider.setFaults({ errorRate: 0 });
      expect((await provider.charge(aCharge(), aKey())).status).toBe(201);
    });
  });

  describe('latency', () => {
    it('when latency is set, then each call waits that long before it is handled', async () => {
      await provider.setFaults({ latencyMs: 750 });
      let answered = false;
      const reply = provider.charge(aCharge(), aKey()).then((result) => {
        answered = true;
        return result;
      });
      const sleep = await runtime.nextSleep();
      expect(sleep.ms).toBe(750);
      expect(answered).toBe(false);
      expect(await countChargesWithoutFaults()).toBe(0);
      sleep.end();
      expect((await reply).status).toBe(201);
    });

    it('when no latency is set, then no call sleeps', async () => {
      expect((await provider.charge(aCharge(), aKey())).status).toBe(201);
      expect(runtime.sleepsAsked).toEqual([]);
    });
  });

  /** Listing goes through the faults too, so they are lifted for the look. */
  async function countChargesWithoutFaults(): Promise<number> {
    await provider.clearFaults();
    return (await provider.charges()).length;
  }
});

describe('faults set by the environment at start', () => {
  it('when FAULT_* are set, then they are in force from the first call', async () => {
    const runtime = new ManualRuntime();
    runtime.nextRandom = 0.1;
    const simulator = await startSimulator(
      { FAULT_LATENCY_MS: '20', FAULT_ERROR_RATE: '0.2', FAULT_OUTAGE: 'true' },
      runtime,
    );
    try {
      const provider = new ProviderClient(simulator.baseUrl);
      expect((await provider.get('/admin/faults')).body).toEqual({
        latencyMs: 20,
        errorRate: 0.2,
        outage: true,
      });
      expect((await provider.charge(aCharge(), aKey())).status).toBe(503);
    } finally {
      await simulator.close();
    }
  });
});
