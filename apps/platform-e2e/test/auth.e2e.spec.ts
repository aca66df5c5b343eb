import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import {
  eventually,
  fetchJaegerTrace,
  requireInfrastructure,
  servicesOf,
  startServiceProcess,
  type ServiceProcess,
} from '@platform/testing';
import { jaegerQueryUrl, otlpEndpoint, unthrottled } from './connection';
import {
  createTestSigningKey,
  hmacTokenSignedWithPublicKey,
  tamperedToken,
  unsignedToken,
  type TestSigningKey,
} from '@platform/auth/testing';

/**
 * Every row of docs/api.md#auth, through the gateway with a real HTTP client, against the
 * auth service and the gateway running as processes on the real MongoDB-wire server and Redis.
 */
const password = 'correct horse battery staple';

describe('auth through the gateway', () => {
  let signingKey: TestSigningKey;
  let auth: ServiceProcess;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    await requireInfrastructure(`Jaeger at ${jaegerQueryUrl}`, () => fetch(`${jaegerQueryUrl}/api/services`));
    signingKey = await createTestSigningKey(`e2e-${randomUUID()}`);
    auth = await startServiceProcess('auth', {
      PROFILE: 'local',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      AUTH_SIGNING_KEYS: JSON.stringify({ keys: [signingKey.privateJwk] }),
      // Every request of these suites comes from 127.0.0.1: runs close together must not throttle
      // each other by address. The per-address limit has its own component test in apps/auth.
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
    });
    gateway = await startServiceProcess('gateway', {
      ...unthrottled,
      PROFILE: 'local',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      AUTH_URL: auth.baseUrl,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await auth?.stop();
  });

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; token?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    const response = await request(`${gateway.baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  };
  const newEmail = () => `user-${randomUUID()}@example.com`;
  const register = (email: string) =>
    call('POST', '/api/auth/register', { body: { email, password, name: 'Ada Lovelace' } });
  const login = (email: string, secret = password) =>
    call('POST', '/api/auth/login', { body: { email, password: secret } });

  describe('POST /api/auth/register', () => {
    it('when the body is valid, then 201 with the user as a customer', async () => {
      const email = newEmail();
      const response = await register(email);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        email,
        name: 'Ada Lovelace',
        roles: ['customer'],
      });
    });

    it('when the email exists in another case, then 409 problem+json', async () => {
      const email = newEmail();
      await register(email);
      const response = await register(email.toUpperCase());
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it.each([
      ['a short password', { email: 'short@example.com', password: 'too-short', name: 'A' }],
      ['an unknown field', { email: 'extra@example.com', password, name: 'A', roles: ['admin'] }],
      ['a malformed email', { email: 'not-an-email', password, name: 'A' }],
    ])('when the body has %s, then 400 and nothing is created', async (_case, body) => {
      const response = await call('POST', '/api/auth/register', { body });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await login(body.email, body.password)).status).toBe(401);
    });
  });

  describe('POST /api/auth/login', () => {
    it('when the credentials are right, then 200 with a token pair', async () => {
      const email = newEmail();
      await register(email);
      const response = await login(email);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
      });
      expect(response.body.expiresIn).toBeGreaterThanOrEqual(600);
      expect(response.body.expiresIn).toBeLessThanOrEqual(900);
    });

    it('when the password is wrong or the email unknown, then the same 401 body', async () => {
      const email = newEmail();
      await register(email);
      const wrongPassword = await login(email, 'not the right password');
      const unknownEmail = await login(newEmail());
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      const comparable = ({ type, title, status, detail }: Record<string, unknown>) => ({
        type,
        title,
        status,
        detail,
      });
      expect(comparable(wrongPassword.body)).toEqual(comparable(unknownEmail.body));
    });

    it('when one account keeps failing, then 429 with Retry-After', async () => {
      const email = newEmail();
      await register(email);
      let response = await login(email, 'wrong password 0');
      for (let attempt = 1; attempt < 12 && response.status !== 429; attempt += 1)
        response = await login(email, `wrong password ${attempt}`);
      expect(response.status).toBe(429);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      // Throttled even with the right password until the window passes.
      expect((await login(email)).status).toBe(429);
    });

    it('when the seeded admin logs in, then /me shows the admin role', async () => {
      const response = await login('admin@platform.local', 'platform-admin-password');
      expect(response.status).toBe(200);
      const me = await call('GET', '/api/auth/me', { token: response.body.accessToken });
      expect(me.body.roles).toContain('admin');
    });
  });

  describe('refresh and logout', () => {
    it('when a refresh token is used, then a new pair comes back and the old token is spent', async () => {
      const email = newEmail();
      await register(email);
      const first = (await login(email)).body;
      const refreshed = await call('POST', '/api/auth/refresh', {
        body: { refreshToken: first.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);
      expect((await call('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);
    });

    it('when a spent refresh token is presented again, then 401 and the whole family is revoked', async () => {
      const email = newEmail();
      await register(email);
      const first = (await login(email)).body;
      const second = (await call('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } }))
        .body;
      const reuse = await call('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
      expect(reuse.status).toBe(401);
      // The legitimate holder's newer token died with the family.
      expect(
        (await call('POST', '/api/auth/refresh', { body: { refreshToken: second.refreshToken } })).status,
      ).toBe(401);
    });

    it('when logging out, then 204 and that family can no longer refresh', async () => {
      const email = newEmail();
      await register(email);
      const pair = (await login(email)).body;
      expect(
        (await call('POST', '/api/auth/logout', { body: { refreshToken: pair.refreshToken } })).status,
      ).toBe(204);
      expect(
        (await call('POST', '/api/auth/refresh', { body: { refreshToken: pair.refreshToken } })).status,
      ).toBe(401);
    });
  });

  describe('GET /api/auth/me', () => {
    it('when the token is valid, then 200 with the user', async () => {
      const email = newEmail();
      const { id } = (await register(email)).body;
      const { accessToken } = (await login(email)).body;
      const me = await call('GET', '/api/auth/me', { token: accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ id, email, name: 'Ada Lovelace', roles: ['customer'] });
    });

    it('when no token is sent, then 401 with WWW-Authenticate: Bearer', async () => {
      const response = await call('GET', '/api/auth/me');
      expect(response.status).toBe(401);
      expect(String(response.headers['www-authenticate'])).toMatch(/^Bearer/);
    });

    it('when a forged token of any kind is sent, then 401', async () => {
      const email = newEmail();
      const { id } = (await register(email)).body;
      const valid = (await login(email)).body.accessToken as string;
      const claims = { sub: id, roles: ['admin'] };
      const stranger = await createTestSigningKey('unknown-kid');
      const forged = {
        'alg none': unsignedToken(claims, signingKey.kid),
        'HMAC with the public key': await hmacTokenSignedWithPublicKey(
          signingKey.publicJwk,
          'jwk-json',
          claims,
        ),
        'unknown kid': await stranger.sign(claims),
        'wrong audience': await signingKey.sign({ ...claims, aud: 'another-api' }),
        'tampered payload': tamperedToken(valid, { roles: ['admin'] }),
      };
      for (const [kind, token] of Object.entries(forged)) {
        const response = await call('GET', '/api/auth/me', { token });
        expect({ kind, status: response.status }).toEqual({ kind, status: 401 });
      }
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('when fetched, then it publishes the public key only', async () => {
      const response = await call('GET', '/.well-known/jwks.json');
      expect(response.status).toBe(200);
      const published = response.body.keys.find((key: { kid: string }) => key.kid === signingKey.kid);
      expect(published).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: signingKey.publicJwk.x });
      for (const key of response.body.keys) expect(key).not.toHaveProperty('d');
    });
  });

  describe('GET /api/openapi.json', () => {
    it('when fetched, then it documents the auth routes of docs/api.md, generated from the service', async () => {
      const response = await call('GET', '/api/openapi.json');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/auth/register',
          '/api/auth/login',
          '/api/auth/refresh',
          '/api/auth/logout',
          '/api/auth/me',
          '/.well-known/jwks.json',
        ]),
      );
      const registerBody =
        response.body.paths['/api/auth/register'].post.requestBody.content['application/json'].schema;
      expect(registerBody).toMatchObject({
        additionalProperties: false,
        properties: { password: { minLength: 12, maxLength: 128 } },
      });
      const register = response.body.paths['/api/auth/register'].post;
      expect(
        Object.keys(register.responses['201'].content['application/json'].schema.properties).sort(),
      ).toEqual(['email', 'id', 'name', 'roles']);
      const problemTypes = (status: string) =>
        register.responses[status].content['application/problem+json'].schema.allOf[1].properties.type.enum;
      expect(problemTypes('409')).toEqual(['/problems/email-taken']);
      expect(problemTypes('400')).toEqual(expect.arrayContaining(['/problems/validation-failed']));
      expect(problemTypes('429')).toEqual(['/problems/rate-limited']);
      expect(response.body.components.schemas.ProblemDetails).toMatchObject({ type: 'object' });
      expect(
        Object.keys(response.body.paths).some((path: string) => /healthz|readyz|metrics|openapi/.test(path)),
      ).toBe(false);
    });
  });

  describe('the edge', () => {
    it.each(['/healthz', '/readyz', '/metrics'])(
      'when %s of the auth service is asked for through the gateway, then it is not reachable',
      async (path) => {
        for (const attempt of [`/api/auth${path}`, `/api/auth/..${path}`, `/api/auth/%2e%2e${path}`]) {
          const response = await call('GET', attempt);
          expect({ attempt, refused: [400, 404].includes(response.status) }).toEqual({
            attempt,
            refused: true,
          });
        }
      },
    );

    it('when logging in, then the trace of X-Trace-Id holds the gateway span and the auth span as its child', async () => {
      const email = newEmail();
      await register(email);
      const response = await request(`${gateway.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      await response.body.dump();
      const traceId = String(response.headers['x-trace-id']);
      const stored = await eventually(
        async () => {
          const found = await fetchJaegerTrace(jaegerQueryUrl, traceId);
          return found && servicesOf(found).includes('auth') && servicesOf(found).includes('gateway')
            ? found
            : undefined;
        },
        20_000,
        300,
      );
      const spanIds = new Set(
        stored.spans
          .filter((span) => stored.processes[span.processID]?.serviceName === 'gateway')
          .map((span) => span.spanID),
      );
      const authServerSpan = stored.spans.find(
        (span) =>
          stored.processes[span.processID]?.serviceName === 'auth' &&
          span.references.some((reference) => spanIds.has(reference.spanID)),
      );
      expect(authServerSpan).toBeDefined();
    });
  });
});
