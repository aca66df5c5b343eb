import type { ServerResponse } from 'node:http';
import { eventually } from '@platform/testing';
import { type FakeUpstream, startFakeUpstream } from './support/fake-upstream';
import { metricValue, startGateway, type RunningGateway } from './support/gateway';

describe('when GATEWAY_MAX_IN_FLIGHT requests are already being forwarded', () => {
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  /** The upstream's answers held back, to send when the test says. */
  const held: ServerResponse[] = [];
  const answerHeld = () => {
    for (const response of held.splice(0))
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  };

  beforeAll(async () => {
    auth = await startFakeUpstream((_request, response) => held.push(response));
    gateway = await startGateway({
      AUTH_URL: auth.url,
      GATEWAY_MAX_IN_FLIGHT: '2',
      UPSTREAM_TIMEOUT_MS: '60000',
    });
  });
  afterAll(async () => {
    answerHeld();
    await gateway.close();
    await auth.close();
  });

  it('then one more is refused at once with 503 overloaded and Retry-After, never reaching the upstream; once they end, requests are forwarded again', async () => {
    const slow = [1, 2].map(() => fetch(`${gateway.baseUrl}/api/auth/me`));
    await eventually(async () => (held.length === 2 ? true : undefined), 10_000, 20);

    const refused = await fetch(`${gateway.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'someone@example.com', password: 'not read' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-request-not-processed')).toBe('overloaded');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ status: 503, type: '/problems/overloaded' });
    expect(auth.received).toHaveLength(2);
    expect(await metricValue(gateway.operationsUrl, 'gateway_requests_shed_total')).toBe(1);
    expect(await metricValue(gateway.operationsUrl, 'gateway_requests_in_flight')).toBe(2);

    answerHeld();
    expect((await Promise.all(slow)).map((response) => response.status)).toEqual([200, 200]);
    const next = fetch(`${gateway.baseUrl}/api/auth/me`);
    await eventually(async () => (held.length === 1 ? true : undefined), 10_000, 20);
    answerHeld();
    expect((await next).status).toBe(200);
    expect(await metricValue(gateway.operationsUrl, 'gateway_requests_in_flight')).toBe(0);
  });
});
