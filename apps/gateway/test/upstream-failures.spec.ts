import { eventually, freePort } from '@platform/testing';
import { type FakeUpstream, answer, echo, hang, startFakeUpstream } from './support/fake-upstream';
import { metricValue, startGateway, type RunningGateway } from './support/gateway';

const circuitState = (gateway: RunningGateway) =>
  metricValue(gateway.operationsUrl, 'gateway_upstream_circuit_state', { upstream: 'auth' });

describe('when nothing listens at the upstream address', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      AUTH_URL: `http://127.0.0.1:${await freePort()}`,
      UPSTREAM_TIMEOUT_MS: '60000',
      BREAKER_RESET_MS: '30000',
    });
  });
  afterAll(() => gateway.close());

  it('then the gateway answers 503 problem+json with Retry-After, without waiting for the timeout', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/auth/me`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 503, type: '/problems/upstream-unavailable' });
    expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });
});

describe('when the upstream resets the connection instead of answering', () => {
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    auth = await startFakeUpstream((_request, response) => response.socket?.destroy());
    gateway = await startGateway({ AUTH_URL: auth.url, UPSTREAM_TIMEOUT_MS: '60000' });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
  });

  it('then the gateway answers 503 with Retry-After, without waiting for the timeout', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/auth/me`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(auth.received).toHaveLength(1);
  });
});

describe('when the upstream does not answer within the timeout', () => {
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    auth = await startFakeUpstream(hang);
    gateway = await startGateway({ AUTH_URL: auth.url, UPSTREAM_TIMEOUT_MS: '200' });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
  });

  it('then the gateway answers 504 problem+json', async () => {
    const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ status: 504, type: '/problems/upstream-timeout' });
  });
});

describe('when the upstream answers 5xx', () => {
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    auth = await startFakeUpstream(answer(500, { type: '/problems/internal', status: 500 }));
    gateway = await startGateway({ AUTH_URL: auth.url, BREAKER_VOLUME_THRESHOLD: '100' });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
  });

  it("then the upstream's answer is passed through to the client", async () => {
    const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ type: '/problems/internal', status: 500 });
  });
});

describe('the circuit breaker of an upstream', () => {
  const volumeThreshold = 4;

  /** Started with `resetMs` between opening and half-opening; the upstream answers 503 at first. */
  const startBehindBreaker = async (resetMs: number) => {
    const auth = await startFakeUpstream(answer(503));
    const gateway = await startGateway({
      AUTH_URL: auth.url,
      BREAKER_VOLUME_THRESHOLD: String(volumeThreshold),
      BREAKER_ERROR_THRESHOLD_PERCENT: '50',
      BREAKER_RESET_MS: String(resetMs),
    });
    return { auth, gateway };
  };

  /** Calls failing upstream until the gateway answers its own 503 (problem+json): the circuit opened. */
  const failUntilOpen = async (auth: FakeUpstream, gateway: RunningGateway) => {
    auth.answerWith(answer(503));
    // The failures must outweigh any 4xx successes before them in the rolling window.
    for (let call = 0; call < volumeThreshold * 3; call += 1) {
      const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
      await response.arrayBuffer();
      if (response.headers.get('content-type')?.startsWith('application/problem+json')) return;
    }
    throw new Error(`the circuit did not open after ${volumeThreshold * 3} failed calls`);
  };

  describe('with a reset time longer than the test, so that an open circuit stays open', () => {
    let auth: FakeUpstream;
    let gateway: RunningGateway;
    beforeAll(async () => {
      ({ auth, gateway } = await startBehindBreaker(600_000));
    });
    afterAll(async () => {
      await gateway.close();
      await auth.close();
    });

    it('when it starts, then its state is closed in /metrics', async () => {
      expect(await circuitState(gateway)).toBe(0);
    });

    it('when 4xx answers come back, then they count as successes and the circuit stays closed', async () => {
      auth.answerWith(answer(404));
      for (let call = 0; call < volumeThreshold * 2; call += 1)
        expect((await fetch(`${gateway.baseUrl}/api/auth/me`)).status).toBe(404);
      expect(await circuitState(gateway)).toBe(0);
    });

    describe('when enough calls fail', () => {
      beforeAll(async () => {
        await failUntilOpen(auth, gateway);
      });

      it('then the circuit opens: 503 with Retry-After at once, and the upstream is not called', async () => {
        const callsBefore = auth.received.length;
        const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(auth.received.length).toBe(callsBefore);
      });

      it("then the gateway's gauge and the resilience library's both say open", async () => {
        expect(await circuitState(gateway)).toBe(2);
        expect(await metricValue(gateway.operationsUrl, 'resilience_circuit_state', { name: 'auth' })).toBe(
          2,
        );
      });
    });
  });

  describe('with a short reset time', () => {
    let auth: FakeUpstream;
    let gateway: RunningGateway;
    beforeAll(async () => {
      ({ auth, gateway } = await startBehindBreaker(300));
      await failUntilOpen(auth, gateway);
    });
    afterAll(async () => {
      await gateway.close();
      await auth.close();
    });

    it('when the reset time has passed, then it half-opens, and a healthy upstream closes it again', async () => {
      auth.answerWith(echo);
      await eventually(async () => ((await circuitState(gateway)) === 1 ? true : undefined), 5000, 20);
      const callsBefore = auth.received.length;
      const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
      expect(response.status).toBe(200);
      expect(auth.received.length).toBe(callsBefore + 1);
      expect(await circuitState(gateway)).toBe(0);
    });
  });
});

describe('when an answer is cut while its body streams', () => {
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  /** Resolves when the upstream's response to the current request is closed, however it ended. */
  let upstreamClosed: Promise<void>;
  beforeAll(async () => {
    auth = await startFakeUpstream();
    gateway = await startGateway({ AUTH_URL: auth.url, UPSTREAM_TIMEOUT_MS: '60000' });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
  });
  /** Headers and a first chunk of a longer body, then `then` decides how it goes on. */
  const streaming = (then: (response: import('node:http').ServerResponse) => void) =>
    auth.answerWith((_request, response) => {
      upstreamClosed = new Promise((resolve) => response.once('close', () => resolve()));
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"first":"chunk"');
      then(response);
    });

  it('then an upstream that breaks off mid-body closes the caller’s connection instead of leaving it hanging', async () => {
    streaming((response) => setImmediate(() => response.socket?.destroy()));
    // No timeout of its own: a connection left hanging fails the test by the test's timeout.
    const response = await fetch(`${gateway.baseUrl}/api/auth/me`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    await upstreamClosed;
    // The gateway itself is unharmed: the next call is answered.
    auth.answerWith(echo);
    expect((await fetch(`${gateway.baseUrl}/api/auth/me`)).status).toBe(200);
  });

  it('then a caller that hangs up mid-body ends the upstream’s answer too', async () => {
    streaming(() => undefined);
    const caller = new AbortController();
    const response = await fetch(`${gateway.baseUrl}/api/auth/me`, { signal: caller.signal });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    await reader?.read();
    caller.abort();
    // Bounded by the test's timeout: without the hang-up passed on, the upstream's answer stays open.
    await upstreamClosed;
    auth.answerWith(echo);
    expect((await fetch(`${gateway.baseUrl}/api/auth/me`)).status).toBe(200);
  });
});
