import {
  type FakeUpstream,
  type ReceivedRequest,
  answer,
  echo,
  rawRequest,
  startFakeUpstream,
} from './support/fake-upstream';
import { startGateway, type RunningGateway } from './support/gateway';

describe('routing to the auth upstream', () => {
  let auth: FakeUpstream;
  let gateway: RunningGateway;
  beforeAll(async () => {
    auth = await startFakeUpstream();
    gateway = await startGateway({ AUTH_URL: auth.url });
  });
  afterAll(async () => {
    await gateway.close();
    await auth.close();
  });
  beforeEach(() => auth.received.splice(0));
  const lastReceived = () => auth.received.at(-1);

  describe('when a client posts JSON to an /api/auth path with a query', () => {
    let response: Response;
    let received: ReceivedRequest[];
    beforeAll(async () => {
      auth.received.splice(0);
      response = await fetch(`${gateway.baseUrl}/api/auth/login?next=%2Fhome&x=1`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-custom': 'kept',
          'x-request-id': 'req-42',
          authorization: 'Bearer abc',
        },
        body: JSON.stringify({ email: 'a@example.com', password: 'secret' }),
      });
      received = [...auth.received];
    });

    it('then the upstream receives the same method, path and query', () => {
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: 'POST', url: '/api/auth/login?next=%2Fhome&x=1' });
    });

    it('then the upstream receives the JSON body and the end-to-end headers', () => {
      const [upstreamRequest] = received;
      expect(JSON.parse(upstreamRequest?.body ?? '')).toEqual({ email: 'a@example.com', password: 'secret' });
      expect(upstreamRequest?.headers).toMatchObject({
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(upstreamRequest?.body ?? '')),
        'x-custom': 'kept',
        authorization: 'Bearer abc',
        'x-request-id': 'req-42',
        'x-forwarded-proto': 'http',
        'x-forwarded-for': '127.0.0.1',
      });
      expect(upstreamRequest?.headers.host).toBe(new URL(auth.url).host);
    });

    it("then the client gets the upstream's status, headers and body, without hop-by-hop headers", async () => {
      expect(response.status).toBe(200);
      expect(response.headers.get('x-upstream')).toBe('fake');
      expect(response.headers.get('keep-alive')).not.toBe('timeout=99');
      expect(response.headers.get('x-request-id')).toBe('req-42');
      expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
      expect(await response.json()).toMatchObject({
        method: 'POST',
        url: '/api/auth/login?next=%2Fhome&x=1',
      });
    });
  });

  describe('when the client sends hop-by-hop and proxy headers', () => {
    it('then none of them reaches the upstream, nor the headers its Connection header names', async () => {
      await rawRequest(gateway.baseUrl, '/api/auth/me', {
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': '1',
        'proxy-authorization': 'Basic eA==',
        te: 'trailers',
        'x-kept': 'yes',
      });
      const headers = lastReceived()?.headers ?? {};
      expect(headers['x-secret-hop']).toBeUndefined();
      expect(headers['proxy-authorization']).toBeUndefined();
      expect(headers['te']).toBeUndefined();
      expect(headers['x-kept']).toBe('yes');
    });
  });

  describe('when the client sends its own X-Forwarded-For', () => {
    it('then the address the gateway saw is appended, not replaced', async () => {
      await fetch(`${gateway.baseUrl}/api/auth/me`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
      expect(lastReceived()?.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    });
  });

  describe('when the upstream answers an error of the client', () => {
    it('then its status and body pass through unchanged', async () => {
      auth.answerWith(answer(409, { type: '/problems/conflict', status: 409 }));
      try {
        const response = await fetch(`${gateway.baseUrl}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(409);
        expect(await response.json()).toEqual({ type: '/problems/conflict', status: 409 });
      } finally {
        auth.answerWith(echo);
      }
    });
  });

  describe('when the client asks for the key set', () => {
    it('then /.well-known/jwks.json is answered by the auth upstream', async () => {
      const response = await fetch(`${gateway.baseUrl}/.well-known/jwks.json`);
      expect(response.status).toBe(200);
      expect(lastReceived()?.url).toBe('/.well-known/jwks.json');
    });
  });

  describe('when the client sends a body that is not JSON', () => {
    it('then the gateway answers 415 and the upstream is not called', async () => {
      const response = await fetch(`${gateway.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(response.status).toBe(415);
      expect(auth.received).toHaveLength(0);
    });
  });

  describe('when the client sends malformed JSON', () => {
    it('then the gateway answers 400 and the upstream is not called', async () => {
      const response = await fetch(`${gateway.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(auth.received).toHaveLength(0);
    });
  });

  describe('when a path is outside the route table', () => {
    it.each(['/api/authx', '/api', '/healthz/../api/auth/me', '/internal', '/.well-known/other'])(
      'then %s is not proxied',
      async (path) => {
        const response = await rawRequest(gateway.baseUrl, path);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(auth.received).toHaveLength(0);
      },
    );
  });

  describe("when a path tries to reach an upstream's internal endpoints", () => {
    it.each([
      '/api/auth/../healthz',
      '/api/auth/../../metrics',
      '/api/auth/%2e%2e/readyz',
      '/api/auth/%2E%2E%2Fmetrics',
      '/api/auth/%252e%252e/healthz',
      '/api/auth/./me',
      '/api/auth//me',
      '/api/auth/..%5chealthz',
    ])('then %s answers 400 problem+json and the upstream is not called', async (path) => {
      const response = await rawRequest(gateway.baseUrl, path);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(auth.received).toHaveLength(0);
    });
  });

  describe("when the gateway's own operations endpoints are called", () => {
    it.each(['/healthz', '/readyz', '/metrics'])(
      'then %s is answered by the gateway itself, on its operations port, and never forwarded',
      async (path) => {
        const response = await fetch(`${gateway.operationsUrl}${path}`);
        expect(response.status).toBe(200);
        expect((await fetch(`${gateway.baseUrl}${path}`)).status).toBe(404);
        expect(auth.received).toHaveLength(0);
      },
    );
  });
});
