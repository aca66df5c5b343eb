import { Registry } from 'prom-client';
import { freePort } from '@platform/testing';
import {
  BulkheadRejectedError,
  CircuitOpenError,
  type ResilientHttpClient,
  type ResilientHttpClientOptions,
  TimeoutError,
  createResilientHttpClient,
  isConnectionError,
} from '../src';
import { type TestServer, startTestServer } from './support/test-server';

describe('the resilient HTTP client against a local server', () => {
  let server: TestServer;
  let client: ResilientHttpClient;
  let registry: Registry;
  beforeEach(async () => {
    server = await startTestServer();
    registry = new Registry();
  });
  afterEach(async () => {
    await client.close();
    await server.close();
  });
  const connect = (options: Partial<ResilientHttpClientOptions> = {}) =>
    (client = createResilientHttpClient({
      baseUrl: server.url,
      name: 'dep',
      timeoutMs: 5000,
      registry,
      breaker: { volumeThreshold: 100 },
      ...options,
    }));
  const counter = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
  const retryNow = { maxAttempts: 3, random: () => 0 };

  it('when the server is healthy, then its answer comes back', async () => {
    connect();
    const response = await client.request({ method: 'GET', path: '/things' });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ status: 200 });
  });

  describe('when the server fails with 503 and then recovers', () => {
    it('then a GET is retried until the server recovers, and the retries are counted', async () => {
      connect({ retry: retryNow });
      server.behave('fail', 'fail', 'ok');
      const response = await client.request({ method: 'GET', path: '/things' });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
      expect(server.received).toHaveLength(3);
      expect(await counter('resilience_retries_total')).toEqual([{ labels: { name: 'dep' }, value: 2 }]);
    });

    it('then a POST without an Idempotency-Key is sent once and its 503 handed back', async () => {
      connect({ retry: retryNow });
      server.behave('fail');
      const response = await client.request({ method: 'POST', path: '/charges', body: '{}' });
      expect(response.statusCode).toBe(503);
      await response.body.dump();
      expect(server.received).toHaveLength(1);
    });

    it('then a POST with an Idempotency-Key is retried, body and key included', async () => {
      connect({ retry: retryNow });
      server.behave('fail');
      const response = await client.request({
        method: 'POST',
        path: '/charges',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'pay-1' },
        body: '{"amount":1}',
      });
      expect(response.statusCode).toBe(503);
      await response.body.dump();
      expect(server.received).toHaveLength(3);
      for (const received of server.received) {
        expect(received.body).toBe('{"amount":1}');
        expect(received.headers['idempotency-key']).toBe('pay-1');
      }
    });
  });

  describe('when the server is slow', () => {
    it('then the request is aborted at the timeout with a TimeoutError', async () => {
      connect({ timeoutMs: 50 });
      server.behave('hang');
      await expect(client.request({ method: 'GET', path: '/slow' })).rejects.toBeInstanceOf(TimeoutError);
      while (server.abandoned < 1) await new Promise((resolve) => setImmediate(resolve));
      expect(server.abandoned).toBe(1);
    });

    it('then the bulkhead refuses calls beyond its slots and queue without sending them', async () => {
      connect({ bulkhead: { maxConcurrent: 1, maxQueue: 0 } });
      server.behave('hang');
      const caller = new AbortController();
      const inFlight = client.request({ method: 'GET', path: '/slow', signal: caller.signal });
      while (server.received.length < 1) await new Promise((resolve) => setImmediate(resolve));
      await expect(client.request({ method: 'GET', path: '/slow' })).rejects.toBeInstanceOf(
        BulkheadRejectedError,
      );
      expect(server.received).toHaveLength(1);
      caller.abort();
      await inFlight.catch(() => undefined);
    });

    it('then a caller that gives up gets its own reason, and it does not count against the server', async () => {
      connect({ breaker: { volumeThreshold: 1, errorThresholdPercent: 1 } });
      server.behave('hang');
      const caller = new AbortController();
      const pending = client.request({ method: 'GET', path: '/slow', signal: caller.signal });
      while (server.received.length < 1) await new Promise((resolve) => setImmediate(resolve));
      const reason = new Error('caller left');
      caller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      expect(client.breaker.state).toBe('closed');
    });
  });

  describe('when the server keeps failing', () => {
    it('then the circuit opens, calls fail fast, and it closes again once the server recovers', async () => {
      connect({ breaker: { volumeThreshold: 3, errorThresholdPercent: 50, resetMs: 100 } });
      const halfOpen = new Promise<void>((resolve) =>
        client.breaker.onStateChange((state) => state === 'half-open' && resolve()),
      );
      server.behave('fail');
      for (let call = 0; call < 3; call += 1)
        await (await client.request({ method: 'GET', path: '/x' })).body.dump();
      expect(client.breaker.state).toBe('open');

      const refusal = await client.request({ method: 'GET', path: '/x' }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(CircuitOpenError);
      expect(server.received).toHaveLength(3);

      server.behave('ok');
      await halfOpen;
      const response = await client.request({ method: 'GET', path: '/x' });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
      expect(client.breaker.state).toBe('closed');
      expect(await counter('resilience_circuit_state')).toEqual([{ labels: { name: 'dep' }, value: 0 }]);
    });

    it('then 503 answers that say the request was not processed (load shed) are handed back at once, never retried, and keep the circuit closed', async () => {
      connect({ retry: retryNow, breaker: { volumeThreshold: 2, errorThresholdPercent: 1 } });
      server.behave('shed');
      for (let call = 0; call < 5; call += 1) {
        const response = await client.request({ method: 'GET', path: '/things' });
        expect(response.statusCode).toBe(503);
        await response.body.dump();
      }
      expect(server.received).toHaveLength(5);
      expect(client.breaker.state).toBe('closed');
    });

    it('then 4xx answers count as successes and keep the circuit closed', async () => {
      connect({ breaker: { volumeThreshold: 2, errorThresholdPercent: 1 } });
      server.behave('client-error');
      for (let call = 0; call < 5; call += 1) {
        const response = await client.request({ method: 'GET', path: '/missing' });
        expect(response.statusCode).toBe(404);
        await response.body.dump();
      }
      expect(client.breaker.state).toBe('closed');
    });
  });

  describe('when the connection fails', () => {
    it('then a reset connection is a connection error and counts as a failure', async () => {
      connect({ breaker: { volumeThreshold: 1, errorThresholdPercent: 1 } });
      server.behave('reset');
      const error = await client.request({ method: 'GET', path: '/x' }).catch((failure: unknown) => failure);
      expect(isConnectionError(error)).toBe(true);
      expect(client.breaker.state).toBe('open');
    });

    it('then nothing listening is a connection error, retried for a GET', async () => {
      const port = await freePort();
      client = createResilientHttpClient({
        baseUrl: `http://127.0.0.1:${port}`,
        name: 'nowhere',
        timeoutMs: 5000,
        registry,
        retry: retryNow,
      });
      const error = await client.request({ method: 'GET', path: '/x' }).catch((failure: unknown) => failure);
      expect(isConnectionError(error)).toBe(true);
      expect(await counter('resilience_retries_total')).toEqual([{ labels: { name: 'nowhere' }, value: 2 }]);
    });
  });
});
