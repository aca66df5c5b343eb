import { freePort } from '@platform/testing';
import { type FakeUpstream, startFakeUpstream } from './support/fake-upstream';
import { metricValue, startGateway, type RunningGateway } from './support/gateway';

/** Breaks the connection after reading the request: it may have been handled, nothing is answered. */
const resetAfterReading = (_request: unknown, response: { socket: { destroy(): void } | null }) =>
  response.socket?.destroy();

const placeOrder = (gateway: RunningGateway, idempotencyKey?: string) =>
  fetch(`${gateway.baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: JSON.stringify({ items: [] }),
    signal: AbortSignal.timeout(10_000),
  });

describe('an upstream with several instances (ORDER_URL lists two base URLs)', () => {
  describe('when both answer', () => {
    let first: FakeUpstream;
    let second: FakeUpstream;
    let gateway: RunningGateway;
    beforeAll(async () => {
      [first, second] = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
      gateway = await startGateway({ ORDER_URL: `${first.url},${second.url}` });
    });
    afterAll(async () => {
      await gateway.close();
      await Promise.all([first.close(), second.close()]);
    });

    it('then the calls are shared between them in turn, and each has a circuit of its own', async () => {
      for (let call = 0; call < 6; call += 1)
        expect((await fetch(`${gateway.baseUrl}/api/orders`)).status).toBe(200);
      expect(first.received).toHaveLength(3);
      expect(second.received).toHaveLength(3);
      for (const upstream of [first, second])
        expect(
          await metricValue(gateway.operationsUrl, 'gateway_upstream_circuit_state', {
            upstream: 'order',
            target: new URL(upstream.url).host,
          }),
        ).toBe(0);
    });
  });

  describe('when nothing listens at one of them', () => {
    let second: FakeUpstream;
    let gateway: RunningGateway;
    beforeAll(async () => {
      second = await startFakeUpstream();
      gateway = await startGateway({ ORDER_URL: `http://127.0.0.1:${await freePort()},${second.url}` });
    });
    afterAll(async () => {
      await gateway.close();
      await second.close();
    });

    it('then every call is answered by the other, a POST without an Idempotency-Key too: a refused connection sent nothing', async () => {
      for (let call = 0; call < 4; call += 1) {
        expect((await fetch(`${gateway.baseUrl}/api/orders`)).status).toBe(200);
        expect((await placeOrder(gateway)).status).toBe(200);
      }
      expect(second.received).toHaveLength(8);
    });
  });

  describe('when one of them breaks the connection after reading the request', () => {
    let breaking: FakeUpstream;
    let answering: FakeUpstream;
    let gateway: RunningGateway;
    beforeEach(async () => {
      [breaking, answering] = await Promise.all([startFakeUpstream(resetAfterReading), startFakeUpstream()]);
      gateway = await startGateway({
        ORDER_URL: `${breaking.url},${answering.url}`,
        // One failure must not open the breaking instance's circuit: this is about what is repeated.
        BREAKER_VOLUME_THRESHOLD: '100',
      });
    });
    afterEach(async () => {
      await gateway.close();
      await Promise.all([breaking.close(), answering.close()]);
    });

    it('then a GET is repeated on the other and answered', async () => {
      const statuses = [];
      for (let call = 0; call < 2; call += 1)
        statuses.push((await fetch(`${gateway.baseUrl}/api/orders`)).status);
      expect(statuses).toEqual([200, 200]);
      expect(breaking.received).toHaveLength(1);
      expect(answering.received).toHaveLength(2);
    });

    it('then a POST with an Idempotency-Key is repeated on the other and answered', async () => {
      expect((await placeOrder(gateway, 'key-1')).status).toBe(200);
      expect((await placeOrder(gateway, 'key-2')).status).toBe(200);
      expect(breaking.received).toHaveLength(1);
      expect(answering.received.map((request) => request.headers['idempotency-key'])).toEqual([
        'key-1',
        'key-2',
      ]);
    });

    it('then a POST without an Idempotency-Key is not repeated: the one sent to it gets 503, nothing reaches the other twice', async () => {
      const statuses = [(await placeOrder(gateway)).status, (await placeOrder(gateway)).status];
      expect(statuses).toEqual([503, 200]);
      expect(breaking.received).toHaveLength(1);
      expect(answering.received).toHaveLength(1);
    });
  });

  describe('when nothing listens at any of them', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await startGateway({
        ORDER_URL: `http://127.0.0.1:${await freePort()},http://127.0.0.1:${await freePort()}`,
      });
    });
    afterAll(() => gateway.close());

    it('then the gateway answers 503 problem+json with Retry-After', async () => {
      const response = await fetch(`${gateway.baseUrl}/api/orders`, { signal: AbortSignal.timeout(10_000) });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await response.json()).toMatchObject({ status: 503, type: '/problems/upstream-unavailable' });
    });
  });

  it('when a listed base URL is not a URL, then the gateway refuses to start and names the variable', async () => {
    await expect(startGateway({ ORDER_URL: 'http://127.0.0.1:1,not a url' })).rejects.toThrow(/ORDER_URL/);
  });
});
