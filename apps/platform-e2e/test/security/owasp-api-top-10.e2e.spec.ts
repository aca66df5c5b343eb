/**
 * The OWASP API Security Top 10 (2023), item by item, tried from outside through the real gateway
 * of the embedded platform with a real HTTP client (undici): each test names the attack and checks
 * what came back. docs/security.md maps each item to these tests and to the lower-level ones (token
 * verification, guards, throttling, the contract fuzzing).
 *
 * Every answer the suite gets is kept: at the end, every one must carry the security headers, every
 * error must be problem+json, and no error body may show a stack trace, an internal host or a port.
 * Requests can be sent from other loopback addresses (127.0.0.2, …) to be another client address.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { Agent, fetch } from 'undici';
import { createTestSigningKey, type TestSigningKey } from '@platform/auth/testing';
import { eventually, startEmbedded, stopEmbedded, type EmbeddedPlatform } from '@platform/testing';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

interface CallOptions {
  token?: string;
  body?: unknown;
  /** The body as sent, bytes and all; no content type is added. */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** The loopback address to connect from (another client address); 127.0.0.1 by default. */
  from?: string;
}

/** Every answer the suite has had through `call`, with what was asked. */
const answers: { request: string; authenticated: boolean; status: number; headers: Headers; body: string }[] =
  [];
const agents = new Map<string, Agent>();

function agentFrom(address: string): Agent {
  let agent = agents.get(address);
  if (!agent) {
    agent = new Agent({ localAddress: address });
    agents.set(address, agent);
  }
  return agent;
}

/**
 * One request as a client sends it: the path goes out as written (dot segments, encodings and all,
 * which `fetch` would have normalized away).
 */
async function callAt(
  origin: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await agentFrom(options.from ?? '127.0.0.1').request({
    origin,
    path,
    method,
    headers,
    body,
  });
  const text = await response.body.text();
  const replyHeaders = new Headers();
  for (const [name, value] of Object.entries(response.headers))
    for (const one of Array.isArray(value) ? value : [value ?? '']) replyHeaders.append(name, one);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the storefront's HTML, a stream
  }
  answers.push({
    request: `${method} ${path}`,
    authenticated: headers['authorization'] !== undefined,
    status: response.statusCode,
    headers: replyHeaders,
    body: text,
  });
  return { status: response.statusCode, headers: replyHeaders, text, json };
}

let platform: EmbeddedPlatform;
const call = (method: string, path: string, options: CallOptions = {}) =>
  callAt(platform.gateway, method, path, options);

interface Customer {
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

async function aCustomer(from?: string): Promise<Customer> {
  const email = `owasp-${randomUUID()}@example.com`;
  const password = 'Owasp-suite-password-1';
  expect(
    (await call('POST', '/api/auth/register', { from, body: { email, password, name: 'Owasp' } })).status,
  ).toBe(201);
  const login = await call('POST', '/api/auth/login', { from, body: { email, password } });
  expect(login.status).toBe(200);
  return {
    email,
    password,
    token: String(login.json['accessToken']),
    refreshToken: String(login.json['refreshToken']),
  };
}

const anOrderBody = { items: [{ sku: 'TEA-GREEN', quantity: 1 }], paymentMethod: 'tok_visa' };

async function anOrderOf(customer: Customer, idempotencyKey = randomUUID()): Promise<string> {
  const placed = await call('POST', '/api/orders', {
    token: customer.token,
    headers: { 'idempotency-key': idempotencyKey },
    body: anOrderBody,
  });
  expect(placed.status).toBe(202);
  return String(placed.json['orderId']);
}

/** The key the platform signs with in this suite: held here, so tokens can be minted wrong in one claim only. */
let platformKey: TestSigningKey;
let alice: Customer;
let mallory: Customer;
let admin: string;
let aliceOrder: string;
const aliceOrderKey = randomUUID();

beforeAll(async () => {
  platformKey = await createTestSigningKey(`owasp-${randomUUID()}`);
  platform = await startEmbedded({
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    AUTH_SIGNING_KEYS: JSON.stringify({ keys: [platformKey.privateJwk] }),
    // The rate limit gets its own platform below; here every request comes from a few addresses.
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  });
  await platform.waitForOutput('the platform is up');
  [alice, mallory] = [await aCustomer(), await aCustomer()];
  const adminLogin = await call('POST', '/api/auth/login', {
    body: { email: 'admin@platform.local', password: 'platform-admin-password' },
  });
  admin = String(adminLogin.json['accessToken']);
  aliceOrder = await anOrderOf(alice, aliceOrderKey);
}, 120_000);

afterAll(async () => {
  await stopEmbedded(platform);
  await Promise.all([...agents.values()].map((agent) => agent.close()));
});

/** A problem body without what differs per request (its trace id, and the path asked for). */
const comparable = (reply: Reply) => ({
  status: reply.status,
  contentType: reply.headers.get('content-type'),
  body: { ...reply.json, instance: undefined, traceId: undefined },
});

describe('API1:2023 broken object level authorization', () => {
  const unknownOrder = randomUUID();

  it.each([
    ['GET /api/orders/{orderId}', (id: string) => `/api/orders/${id}`],
    ['GET /api/orders/{orderId}/events (its event stream)', (id: string) => `/api/orders/${id}/events`],
  ])(
    'when Mallory asks for Alice’s order through %s, then she gets the same 404 as for an order that does not exist',
    async (_, path) => {
      const others = await call('GET', path(aliceOrder), { token: mallory.token });
      const unknown = await call('GET', path(unknownOrder), { token: mallory.token });
      expect(others.status).toBe(404);
      expect(comparable(others)).toEqual(comparable(unknown));
    },
  );

  it('when Alice asks for her own order, then 200: the 404 Mallory gets is about whose order it is, not about the id', async () => {
    const own = await call('GET', `/api/orders/${aliceOrder}`, { token: alice.token });
    expect(own.status).toBe(200);
    expect(own.json['orderId']).toBe(aliceOrder);
  });

  it('when Mallory asks for the payments of Alice’s order, then she gets the same 404 as for an unknown order', async () => {
    const others = await call('GET', `/api/payments?orderId=${aliceOrder}`, { token: mallory.token });
    const unknown = await call('GET', `/api/payments?orderId=${unknownOrder}`, { token: mallory.token });
    expect(others.status).toBe(404);
    expect(comparable(others)).toEqual(comparable(unknown));
    expect((await call('GET', `/api/payments?orderId=${aliceOrder}`, { token: alice.token })).status).toBe(
      200,
    );
  });

  it('when Mallory lists orders and notifications, then she sees only her own', async () => {
    const orders = await call('GET', '/api/orders', { token: mallory.token });
    expect(orders.status).toBe(200);
    expect(JSON.stringify(orders.json)).not.toContain(aliceOrder);
    const notifications = await call('GET', '/api/notifications', { token: mallory.token });
    expect(notifications.status).toBe(200);
    expect(JSON.stringify(notifications.json)).not.toContain(aliceOrder);
    expect(JSON.stringify(notifications.json)).not.toContain(alice.email);
  });

  it('when Mallory places an order with the Idempotency-Key Alice used, then she gets an order of her own, not Alice’s answer', async () => {
    const replayed = await call('POST', '/api/orders', {
      token: mallory.token,
      headers: { 'idempotency-key': aliceOrderKey },
      body: anOrderBody,
    });
    expect(replayed.status).toBe(202);
    expect(replayed.json['orderId']).not.toBe(aliceOrder);
    expect(replayed.text).not.toContain(aliceOrder);
  });
});

describe('API2:2023 broken authentication', () => {
  let publishedKid: string;
  let publicJwk: JWK;
  beforeAll(async () => {
    const jwks = await call('GET', '/.well-known/jwks.json');
    const [key] = jwks.json['keys'] as JWK[];
    publicJwk = key as JWK;
    publishedKid = String(publicJwk.kid);
  });

  const claims = () => ({
    sub: randomUUID(),
    roles: ['admin'],
    iss: 'platform-auth',
    aud: 'platform',
    jti: randomUUID(),
  });
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  /** A well-formed access token, signed by a key of the attacker's. */
  async function signedByAnotherKey(header: Record<string, unknown>, payload: Record<string, unknown>) {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: publishedKid, ...header })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  }

  const forgeries: [string, () => Promise<string>][] = [
    [
      'alg none',
      async () =>
        `${base64url({ alg: 'none', typ: 'at+jwt', kid: publishedKid })}.${base64url({ ...claims(), exp: Math.floor(Date.now() / 1000) + 300, iat: Math.floor(Date.now() / 1000) })}.`,
    ],
    [
      'HS256 keyed with the published public JWK',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
        return new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: publishedKid })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(secret);
      },
    ],
    ['another key naming the published kid', () => signedByAnotherKey({}, claims())],
    ['an unknown kid', () => signedByAnotherKey({ kid: 'no-such-key' }, claims())],
    ['a path-injected kid', () => signedByAnotherKey({ kid: '../../../../dev/null' }, claims())],
    [
      'its own key in jwk, jku and x5u headers',
      async () => {
        const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
        return new SignJWT(claims())
          .setProtectedHeader({
            alg: 'EdDSA',
            typ: 'at+jwt',
            kid: 'attacker',
            jwk: await exportJWK(publicKey),
            jku: 'http://attacker.example/jwks.json',
            x5u: 'http://attacker.example/cert.pem',
          })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      },
    ],
  ];

  it.each(forgeries)(
    'when an attacker presents a forged token (%s) on an admin route, then 401 with WWW-Authenticate and nothing done',
    async (_, forge) => {
      const reply = await call('GET', '/api/admin/audit', { token: await forge() });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const me = await call('GET', '/api/auth/me', { token: await forge() });
      expect(me.status).toBe(401);
    },
  );

  it('when a real token’s payload is edited to claim the admin role, then 401', async () => {
    const [header, payload, signature] = alice.token.split('.');
    const edited = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), roles: ['admin'] };
    const reply = await call('GET', '/api/admin/audit', {
      token: `${header}.${base64url(edited)}.${signature}`,
    });
    expect(reply.status).toBe(401);
  });

  describe('tokens signed with the platform’s own key, wrong in one thing only', () => {
    const now = () => Math.floor(Date.now() / 1000);
    // The gateway verifies /api/admin/audit itself; the order service verifies /api/orders.
    const verifiedBy = ['/api/admin/audit', '/api/orders'];

    it('when a token is signed with the platform’s key and every claim is right, then it is accepted (so the refusals below are about the one claim)', async () => {
      const token = await platformKey.sign({ sub: randomUUID(), roles: ['admin'] });
      for (const path of verifiedBy) expect((await call('GET', path, { token })).status).toBe(200);
    });

    it.each<[string, () => Promise<string>]>([
      ['another issuer (iss)', () => platformKey.sign({ roles: ['admin'], iss: 'https://attacker.example' })],
      ['another audience (aud)', () => platformKey.sign({ roles: ['admin'], aud: 'another-api' })],
      ['typ JWT instead of at+jwt', () => platformKey.sign({ roles: ['admin'] }, { typ: 'JWT' })],
      [
        'no typ',
        async () =>
          new SignJWT({ roles: ['admin'], iss: 'platform-auth', aud: 'platform' })
            .setProtectedHeader({ alg: 'EdDSA', kid: platformKey.kid })
            .setSubject(randomUUID())
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(await importJWK(platformKey.privateJwk, 'EdDSA')),
      ],
      [
        'an expiry a minute ago (exp)',
        () => platformKey.sign({ roles: ['admin'], iat: now() - 960, exp: now() - 60 }),
      ],
      [
        'an nbf an hour ahead (not valid yet)',
        () => platformKey.sign({ roles: ['admin'], nbf: now() + 3600 }),
      ],
      ['no expiry at all', () => platformKey.sign({ roles: ['admin'] }, { omit: ['exp'] })],
      ['no subject', () => platformKey.sign({ roles: ['admin'] }, { omit: ['sub'] })],
      ['roles as a string instead of a list', () => platformKey.sign({ roles: 'admin' })],
    ])('when the token has %s, then 401 at the gateway and at the service', async (_, mint) => {
      const token = await mint();
      for (const path of verifiedBy) {
        const reply = await call('GET', path, { token });
        expect({ path, status: reply.status }).toEqual({ path, status: 401 });
        expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });
  });

  it('when a refresh token is used twice, then the second use is refused and the whole family is revoked', async () => {
    const victim = await aCustomer();
    const first = await call('POST', '/api/auth/refresh', { body: { refreshToken: victim.refreshToken } });
    expect(first.status).toBe(200);
    const replayed = await call('POST', '/api/auth/refresh', { body: { refreshToken: victim.refreshToken } });
    expect(replayed.status).toBe(401);
    // The token the legitimate refresh got is revoked with the family.
    const afterwards = await call('POST', '/api/auth/refresh', {
      body: { refreshToken: first.json['refreshToken'] },
    });
    expect(afterwards.status).toBe(401);
  });

  describe('login throttling', () => {
    let target: Customer;
    beforeAll(async () => {
      target = await aCustomer('127.0.0.4');
    });

    it('when someone guesses one account’s password, sending another X-Forwarded-For with every try, then the 6th try from his address answers 429 with Retry-After, even when right', async () => {
      for (let attempt = 0; attempt < 5; attempt += 1)
        expect(
          (
            await call('POST', '/api/auth/login', {
              headers: { 'x-forwarded-for': `198.51.100.${attempt + 1}` },
              body: { email: target.email, password: `Wrong-guess-00${attempt}` },
            })
          ).status,
        ).toBe(401);
      const sixth = await call('POST', '/api/auth/login', {
        headers: { 'x-forwarded-for': '198.51.100.99' },
        body: { email: target.email, password: target.password },
      });
      expect(sixth.status).toBe(429);
      expect(sixth.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('when the guesser has been refused, then the account’s owner, from her own address, still logs in: the lock-out cannot be aimed at her', async () => {
      const owner = await call('POST', '/api/auth/login', {
        from: '127.0.0.4',
        body: { email: target.email, password: target.password },
      });
      expect(owner.status).toBe(200);
    });
  });

  it('when a login fails for an unknown email or a wrong password, then both answer the same 401', async () => {
    const unknown = await call('POST', '/api/auth/login', {
      from: '127.0.0.5',
      body: { email: `nobody-${randomUUID()}@example.com`, password: 'Whatever-pass-1' },
    });
    const wrong = await call('POST', '/api/auth/login', {
      from: '127.0.0.5',
      body: { email: alice.email, password: 'Whatever-pass-1' },
    });
    expect(unknown.status).toBe(401);
    expect(comparable(unknown)).toEqual(comparable(wrong));
  });
});

describe('API3:2023 broken object property level authorization (mass assignment)', () => {
  it('when a customer registers with roles: [admin] and an id of her choosing, then it is refused and no account exists', async () => {
    const email = `mass-${randomUUID()}@example.com`;
    const reply = await call('POST', '/api/auth/register', {
      body: { email, password: 'Mass-assignment-1', name: 'Eve', roles: ['admin'], id: randomUUID() },
    });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.json['errors'])).toMatch(/roles/);
    expect(
      (await call('POST', '/api/auth/login', { body: { email, password: 'Mass-assignment-1' } })).status,
    ).toBe(401);
  });

  it.each([
    ['userId', { userId: randomUUID() }],
    ['ownerId', { ownerId: randomUUID() }],
    ['id', { id: randomUUID() }],
    ['status', { status: 'CONFIRMED' }],
    ['priceCents on an item', { items: [{ sku: 'TEA-GREEN', quantity: 1, priceCents: 1 }] }],
    ['unitPriceCents on an item', { items: [{ sku: 'TEA-GREEN', quantity: 1, unitPriceCents: 1 }] }],
    ['totalCents', { totalCents: 1 }],
  ])('when a customer places an order setting %s, then 400 and no order is made', async (_, extra) => {
    const before = await call('GET', '/api/orders', { token: mallory.token });
    const reply = await call('POST', '/api/orders', {
      token: mallory.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { ...anOrderBody, ...extra },
    });
    expect(reply.status).toBe(400);
    const after = await call('GET', '/api/orders', { token: mallory.token });
    expect(after.json['items']).toEqual(before.json['items']);
  });

  it.each([
    ['available', { available: 1_000_000 }],
    ['reserved', { reserved: -5 }],
    ['id', { id: randomUUID() }],
  ])(
    'when even the admin creates a product setting %s (not an input), then 400 and no product exists',
    async (_, extra) => {
      const sku = `MASS-${randomUUID().slice(0, 8)}`;
      const reply = await call('POST', '/api/products', {
        token: admin,
        body: { sku, name: 'Mass', priceCents: 100, currency: 'EUR', initialStock: 1, ...extra },
      });
      expect(reply.status).toBe(400);
      expect((await call('GET', `/api/products/${sku}`)).status).toBe(404);
    },
  );

  it('when a customer reads her order, then it carries no other user’s data and no internal fields', async () => {
    const reply = await call('GET', `/api/orders/${aliceOrder}`, { token: alice.token });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json)).not.toEqual(expect.arrayContaining(['_id', 'outbox', 'saga']));
    expect(reply.text).not.toContain(mallory.email);
  });

  it('when a customer reads her account, then no password hash and no refresh token family come back', async () => {
    const me = await call('GET', '/api/auth/me', { token: alice.token });
    expect(me.status).toBe(200);
    expect(me.text).not.toMatch(/argon2|password|hash|refresh/i);
  });
});

describe('API4:2023 unrestricted resource consumption', () => {
  it.each([
    ['/api/orders?limit=101', () => alice.token],
    ['/api/products?limit=1000', () => alice.token],
    ['/api/notifications?limit=100000', () => alice.token],
    ['/api/admin/audit?limit=1000', () => admin],
  ])('when a client asks for a page larger than the cap (%s), then 400', async (path, token) => {
    expect((await call('GET', path, { token: token() })).status).toBe(400);
  });

  it('when a client sends a body over 64 KiB, then 413 problem+json and nothing is stored', async () => {
    const email = `big-${randomUUID()}@example.com`;
    const reply = await call('POST', '/api/auth/register', {
      body: { email, password: 'Big-body-password-1', name: 'x'.repeat(70 * 1024) },
    });
    expect(reply.status).toBe(413);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(
      (await call('POST', '/api/auth/login', { body: { email, password: 'Big-body-password-1' } })).status,
    ).toBe(401);
  });

  describe('a platform with a quota of 3 requests a minute per address and per user', () => {
    let limited: EmbeddedPlatform;
    const at = (method: string, path: string, options: CallOptions = {}) =>
      callAt(limited.gateway, method, path, options);
    beforeAll(async () => {
      limited = await startEmbedded({
        LOG_LEVEL: 'warn',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3',
        RATE_LIMIT_USER_PER_MINUTE: '3',
      });
      await limited.waitForOutput('the platform is up');
    }, 120_000);
    afterAll(async () => {
      await stopEmbedded(limited);
    });

    it('when an anonymous client sends a 4th request, each with another X-Forwarded-For, then 429 problem+json with Retry-After and RateLimit headers', async () => {
      const statuses = [];
      for (let index = 0; index < 3; index += 1)
        statuses.push(
          (await at('GET', '/api/products', { headers: { 'x-forwarded-for': `192.0.2.${index}` } })).status,
        );
      expect(statuses).toEqual([200, 200, 200]);
      const refused = await at('GET', '/api/products', { headers: { 'x-forwarded-for': '192.0.2.200' } });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit-policy')).toBe('"anonymous";q=3;w=60');
      expect(refused.headers.get('ratelimit')).toMatch(/^"anonymous";r=0;t=\d+$/);
    });

    it('when the refused client then sends a body that is not JSON, then 429 again: the quota is checked before a body is read', async () => {
      const reply = await at('POST', '/api/auth/login', {
        raw: '{"email": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status).toBe(429);
    });

    it('when another address asks, then it is served: each address has its own bucket', async () => {
      expect((await at('GET', '/api/products', { from: '127.0.0.2' })).status).toBe(200);
    });

    it('when a signed-in customer sends a 4th request, then 429 on the user’s own quota, whatever address she uses', async () => {
      const email = `quota-${randomUUID()}@example.com`;
      const password = 'Quota-password-1';
      const from = '127.0.0.3';
      expect(
        (await at('POST', '/api/auth/register', { from, body: { email, password, name: 'Q' } })).status,
      ).toBe(201);
      const token = String(
        (await at('POST', '/api/auth/login', { from, body: { email, password } })).json['accessToken'],
      );
      const statuses = [];
      for (const address of ['127.0.0.1', '127.0.0.6', '127.0.0.7'])
        statuses.push((await at('GET', '/api/orders', { token, from: address })).status);
      expect(statuses).toEqual([200, 200, 200]);
      const refused = await at('GET', '/api/orders', { token, from: '127.0.0.8' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('ratelimit-policy')).toBe('"user";q=3;w=60');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });

  it('when a customer opens more than 10 event streams at once, then the 11th answers 429 with Retry-After', async () => {
    // A slow card keeps the order pending, so its streams stay open.
    const placed = await call('POST', '/api/orders', {
      token: alice.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { items: [{ sku: 'TEA-GREEN', quantity: 1 }], paymentMethod: 'tok_slow' },
    });
    expect(placed.status).toBe(202);
    const streams: AbortController[] = [];
    try {
      const statuses: number[] = [];
      let refused: Awaited<ReturnType<typeof fetch>> | undefined;
      for (let index = 0; index < 11; index += 1) {
        const controller = new AbortController();
        streams.push(controller);
        const response = await fetch(
          `${platform.gateway}/api/orders/${String(placed.json['orderId'])}/events`,
          {
            headers: { authorization: `Bearer ${alice.token}` },
            signal: controller.signal,
          },
        );
        statuses.push(response.status);
        if (response.status !== 200) refused = response;
      }
      expect(statuses).toEqual([...Array.from({ length: 10 }, () => 200), 429]);
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
      await refused?.body?.cancel();
    } finally {
      for (const controller of streams) controller.abort();
    }
  });
});

describe('API5:2023 broken function level authorization', () => {
  it.each([
    [
      'POST',
      '/api/products',
      {
        sku: `EVIL-${randomUUID().slice(0, 6)}`,
        name: 'Evil',
        priceCents: 1,
        currency: 'EUR',
        initialStock: 1,
      },
    ],
    ['POST', '/api/products/TEA-GREEN/restock', { quantity: 1000 }],
    ['GET', '/api/admin/payment-provider/faults', undefined],
    ['PUT', '/api/admin/payment-provider/faults', { errorRate: 1 }],
    ['DELETE', '/api/admin/payment-provider/faults', undefined],
    ['GET', '/api/admin/audit', undefined],
  ])(
    'when a customer calls the admin operation %s %s, then 403 and nothing changes',
    async (method, path, body) => {
      const before = await call('GET', '/api/products/TEA-GREEN');
      const reply = await call(method, path, { token: mallory.token, body });
      expect(reply.status).toBe(403);
      expect((await call('GET', '/api/products/TEA-GREEN')).json['available']).toBe(before.json['available']);
    },
  );

  it.each([
    '/API/admin/payment-provider/faults',
    '/api/ADMIN/payment-provider/faults',
    '/api/admin/payment-provider/faults/',
    '/api//admin/payment-provider/faults',
    '/api/%61dmin/payment-provider/faults',
    '/api/admin/payment-provider/%66aults',
    '/api/admin/payment-provider/faults%2F',
    '/api/admin/payment-provider/faults;x',
    '/api/admin/payment-provider/faults?as=admin',
    '/api/admin/payment-provider/./faults',
    '/api/products/../admin/payment-provider/faults',
  ])(
    'when a customer aims at the fault knobs by another spelling of their path (%s), then nothing is served and the knobs are unchanged',
    async (path) => {
      const before = await call('GET', '/api/admin/payment-provider/faults', { token: admin });
      const set = await call('PUT', path, { token: mallory.token, body: { errorRate: 1, outage: true } });
      expect(set.status).toBeGreaterThanOrEqual(400);
      const read = await call('GET', path, { token: mallory.token });
      expect(read.status).toBeGreaterThanOrEqual(400);
      expect(read.text).not.toContain('errorRate');
      expect((await call('GET', '/api/admin/payment-provider/faults', { token: admin })).json).toEqual(
        before.json,
      );
    },
  );

  it('when a customer tunnels PUT through POST with X-HTTP-Method-Override, then it is not obeyed', async () => {
    const before = await call('GET', '/api/admin/payment-provider/faults', { token: admin });
    const reply = await call('POST', '/api/admin/payment-provider/faults', {
      token: mallory.token,
      headers: { 'x-http-method-override': 'PUT', 'x-method-override': 'PUT' },
      body: { errorRate: 1 },
    });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect((await call('GET', '/api/admin/payment-provider/faults', { token: admin })).json).toEqual(
      before.json,
    );
  });

  it('when the admin reads the audit trail, then the customer’s refused attempts are there', async () => {
    const audit = await call('GET', '/api/admin/audit?limit=50', { token: admin });
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.json)).toContain('refused');
  });
});

describe('API7:2023 server side request forgery', () => {
  it('when a client passes a URL where the API takes an id (the trace id of /api/traces), then it is refused, not fetched', async () => {
    const reply = await call(
      'GET',
      `/api/traces/${encodeURIComponent('http://169.254.169.254/latest/meta-data')}`,
      { token: alice.token },
    );
    expect([400, 404]).toContain(reply.status);
  });

  describe('the gateway asked to be a proxy to an address of the attacker’s choosing', () => {
    /** Stands for an internal server: it must hear nothing. */
    const heard: string[] = [];
    const internal = createServer((request, response) => {
      heard.push(`${request.method} ${request.url}`);
      response.end('internal');
    });
    let target: string;
    beforeAll(async () => {
      await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
      target = `127.0.0.1:${(internal.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => internal.close(resolve));
    });

    /** The request as typed (fetch and undici cannot send absolute-form targets or CONNECT); the status line of the answer. */
    async function sendRaw(head: string): Promise<string> {
      const { port } = new URL(platform.gateway);
      return new Promise((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(`${head}\r\n\r\n`));
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
        socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
        socket.on('error', reject);
      });
    }

    it.each([
      [
        'an absolute-form request target',
        (to: string) => `GET http://${to}/api/products HTTP/1.1\r\nHost: ${to}\r\nConnection: close`,
      ],
      [
        'an absolute-form target at the root',
        (to: string) => `GET http://${to}/ HTTP/1.1\r\nHost: ${to}\r\nConnection: close`,
      ],
      [
        'a Host header naming it',
        (to: string) => `GET /api/products HTTP/1.1\r\nHost: ${to}\r\nConnection: close`,
      ],
      [
        'X-Forwarded-Host and Forwarded naming it',
        (to: string) =>
          `GET /api/products HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Host: ${to}\r\nForwarded: host=${to}\r\nConnection: close`,
      ],
      [
        'a scheme-relative path',
        (to: string) => `GET //${to}/api/products HTTP/1.1\r\nHost: localhost\r\nConnection: close`,
      ],
      [
        'userinfo in the path',
        (to: string) => `GET /api/products@${to}/ HTTP/1.1\r\nHost: localhost\r\nConnection: close`,
      ],
      ['CONNECT', (to: string) => `CONNECT ${to} HTTP/1.1\r\nHost: ${to}`],
    ])(
      'when a client sends %s, then the internal server hears nothing and no 5xx comes back',
      async (_, head) => {
        const statusLine = await sendRaw(head(target));
        expect(statusLine).not.toMatch(/^HTTP\/1\.1 5/);
        expect(heard).toEqual([]);
      },
    );
  });
});

describe('API8:2023 security misconfiguration', () => {
  it.each(['/api/products', '/api/auth/me', '/api/unknown', '/.well-known/jwks.json', '/', '/api/docs'])(
    'when %s is answered, then it says nosniff and refuses framing',
    async (path) => {
      const reply = await call('GET', path, { token: alice.token });
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
    },
  );

  it.each([
    ['/api/auth/me', () => '/api/auth/me'],
    ['/api/orders', () => '/api/orders'],
    ['/api/orders/{orderId}', () => `/api/orders/${aliceOrder}`],
    ['/api/payments?orderId=', () => `/api/payments?orderId=${aliceOrder}`],
    ['/api/notifications', () => '/api/notifications'],
  ])('when an authenticated GET %s is answered, then Cache-Control: no-store', async (_, path) => {
    const reply = await call('GET', path(), { token: alice.token });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toContain('no-store');
  });

  it.each(['/', '/api/docs'])(
    'when the HTML page %s is served, then its Content-Security-Policy allows scripts from the origin only, no inline script, no framing',
    async (path) => {
      const reply = await call('GET', path);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
      const policy = Object.fromEntries(
        String(reply.headers.get('content-security-policy'))
          .split(';')
          .map((directive) => directive.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      ) as Record<string, string[] | undefined>;
      expect(policy['script-src'] ?? policy['default-src']).toEqual(["'self'"]);
      expect(policy['frame-ancestors']).toEqual(["'none'"]);
      expect(policy['default-src']).toEqual(["'self'"]);
    },
  );

  it('when a foreign origin asks with credentials, then CORS does not reflect it', async () => {
    const preflight = await call('OPTIONS', '/api/auth/me', {
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    for (const origin of ['https://evil.example', 'null']) {
      const simple = await call('GET', '/api/auth/me', { token: alice.token, headers: { origin } });
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
      expect(simple.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('when TRACE is sent (cross-site tracing), then 405 with Allow, and nothing is echoed', async () => {
    const reply = await call('TRACE', '/api/products', { token: alice.token });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toContain('GET');
    expect(reply.text).not.toContain(alice.token);
  });

  it('when any answer is read, then it names no server software (no Server, no X-Powered-By)', async () => {
    const reply = await call('GET', '/api/unknown');
    expect(reply.headers.get('x-powered-by')).toBeNull();
    expect(reply.headers.get('server')).toBeNull();
  });
});

describe('API9:2023 improper inventory management', () => {
  it.each([
    '/healthz',
    '/readyz',
    '/metrics',
    '/openapi.json',
    '/admin/faults',
    '/api/auth/openapi.json',
    '/api/auth/../metrics',
    '/api/auth/%2e%2e/%2e%2e/metrics',
    '/api/auth/.well-known/../openapi.json',
    '/api/orders/..%2f..%2fmetrics',
    '/api/orders/..%5c..%5cmetrics',
    '/api/orders/..\\..\\metrics',
    '/api/orders/%252e%252e/%252e%252e/metrics',
    '/api/products/..;/..;/metrics',
    '/api/payments/../../openapi.json',
    '/api/notifications/%2E%2E/%2E%2E/admin/faults',
    '/api/admin/payment-provider/charges',
    '/api/admin/payment-provider/faults/../charges',
    '/api/admin/payment-provider/%2e%2e/admin/faults',
    '/api/admin/payment-provider/faults%00',
    '/api/products/TEA-GREEN/../../../admin/faults',
    '/%2fadmin/faults',
    '/%2e%2e/admin/faults',
    '/admin%2ffaults',
  ])(
    'when an internal endpoint is aimed at through the gateway (%s), then it is not reachable',
    async (path) => {
      const reply = await call('GET', path, { token: admin });
      expect([400, 404, 405]).toContain(reply.status);
      expect(reply.text).not.toMatch(/process_cpu|nodejs_|"status":"ok"|errorRate|"openapi"/);
    },
  );

  it('when the routes the gateway serves are compared with the OpenAPI document, then each documented operation answers and every other method answers 405', async () => {
    const document = await call('GET', '/api/openapi.json');
    const paths = document.json['paths'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths).length).toBeGreaterThan(10);
    for (const [template, operations] of Object.entries(paths)) {
      const path = template.replace(/\{[^}]+\}/g, randomUUID());
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
        const reply = await call(method, path, { token: admin, body: method === 'GET' ? undefined : {} });
        if (method.toLowerCase() in operations)
          expect({ template, method, status: reply.status }).not.toEqual({ template, method, status: 405 });
        else expect({ template, method, status: reply.status }).toEqual({ template, method, status: 405 });
      }
    }
  });
});

describe('API10:2023 unsafe consumption of APIs', () => {
  it('when the payment provider fails every call, then the order ends in a documented state, never a 500 to the customer', async () => {
    const faults = await call('PUT', '/api/admin/payment-provider/faults', {
      token: admin,
      body: { errorRate: 1 },
    });
    expect(faults.status).toBe(200);
    try {
      const orderId = await anOrderOf(alice);
      const order = await eventually(async () => {
        const reply = await call('GET', `/api/orders/${orderId}`, { token: alice.token });
        expect(reply.status).toBe(200);
        return reply.json['status'] === 'PENDING' ? undefined : reply;
      }, 30_000);
      expect(['CONFIRMED', 'CANCELLED']).toContain(order.json['status']);
    } finally {
      await call('DELETE', '/api/admin/payment-provider/faults', { token: admin });
    }
  });
});

/**
 * Every operation of the public API document, one row each: the tables below send it hostile
 * input. The first test of the block checks the document lists exactly these, so an operation
 * added without its row fails here.
 */
const documentedOperations = [
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  'GET /api/auth/me',
  'GET /.well-known/jwks.json',
  'POST /api/orders',
  'GET /api/orders',
  'GET /api/orders/{orderId}',
  'GET /api/orders/{orderId}/events',
  'GET /api/payments',
  'GET /api/products',
  'POST /api/products',
  'GET /api/products/{sku}',
  'POST /api/products/{sku}/restock',
  'GET /api/notifications',
  'GET /api/admin/payment-provider/faults',
  'PUT /api/admin/payment-provider/faults',
  'DELETE /api/admin/payment-provider/faults',
  'GET /api/traces/{traceId}',
  'GET /api/admin/audit',
];

/** What an operation that takes a body is sent, and what must still hold after a refusal. */
interface BodyTarget {
  token?: string;
  headers?: Record<string, string>;
  path: string;
  /**
   * A body the operation would accept, with `text` inside one of its strings and `value` as one of
   * its values (a number where it takes one, else a string's place).
   */
  body(parts: { text?: string; value?: string }): string;
  /** What the place of `value` takes. */
  valueIs: 'number' | 'string';
  /** Throws when the refused request left anything behind. */
  untouched(): Promise<void>;
}

describe('hostile input on every public operation', () => {
  /** Where the runner's output stood before this block: only its own requests are judged. */
  let outputBefore = 0;
  let customer: Customer;
  let stockSku: string;
  beforeAll(async () => {
    outputBefore = platform.output().length;
    customer = await aCustomer();
    stockSku = `HOSTILE-${randomUUID().slice(0, 8)}`;
    const created = await call('POST', '/api/products', {
      token: admin,
      body: { sku: stockSku, name: 'Hostile stock', priceCents: 100, currency: 'EUR', initialStock: 5 },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await call('DELETE', '/api/admin/payment-provider/faults', { token: admin });
  });

  const expectRefused = (reply: Reply) => {
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  };
  const loginStatus = async (email: string, password: string) =>
    (await call('POST', '/api/auth/login', { body: { email, password } })).status;
  const refreshes = async (refreshToken: string) =>
    (await call('POST', '/api/auth/refresh', { body: { refreshToken } })).status;

  const bodyOperations: Record<string, () => Promise<BodyTarget>> = {
    'POST /api/auth/register': async () => {
      const email = `hostile-${randomUUID()}@example.com`;
      const password = 'Hostile-password-1';
      return {
        path: '/api/auth/register',
        valueIs: 'string',
        body: ({ text = '', value }) =>
          `{"email":"${email}","password":"${password}","name":${value ?? `"Hostile${text}"`}}`,
        untouched: async () => expect(await loginStatus(email, password)).toBe(401),
      };
    },
    'POST /api/auth/login': async () => {
      const user = await aCustomer();
      return {
        path: '/api/auth/login',
        valueIs: 'string',
        body: ({ text = '', value }) =>
          `{"email":"${user.email}","password":${value ?? `"${user.password}${text}"`}}`,
        // The refusals count as no failed login: the owner still gets in.
        untouched: async () => expect(await loginStatus(user.email, user.password)).toBe(200),
      };
    },
    'POST /api/auth/refresh': async () => {
      const user = await aCustomer();
      return {
        path: '/api/auth/refresh',
        valueIs: 'string',
        body: ({ text = '', value }) => `{"refreshToken":${value ?? `"${user.refreshToken}${text}"`}}`,
        // Not rotated: the token still refreshes once.
        untouched: async () => expect(await refreshes(user.refreshToken)).toBe(200),
      };
    },
    'POST /api/auth/logout': async () => {
      const user = await aCustomer();
      return {
        path: '/api/auth/logout',
        valueIs: 'string',
        // The token is opaque: text in it makes an unknown token, which logout answers 204 by design
        // (no oracle for which tokens exist; docs/api.md). So text goes in a member of its own.
        body: ({ text, value }) =>
          text === undefined
            ? `{"refreshToken":${value ?? `"${user.refreshToken}"`}}`
            : `{"refreshToken":"${user.refreshToken}","note":"${text}"}`,
        // Not revoked: the token still refreshes.
        untouched: async () => expect(await refreshes(user.refreshToken)).toBe(200),
      };
    },
    'POST /api/orders': async () => {
      const before = await call('GET', '/api/orders', { token: customer.token });
      return {
        token: customer.token,
        headers: { 'idempotency-key': randomUUID() },
        path: '/api/orders',
        valueIs: 'number',
        body: ({ text = '', value = '1' }) =>
          `{"items":[{"sku":"TEA-GREEN${text}","quantity":${value}}],"paymentMethod":"tok_visa"}`,
        untouched: async () =>
          expect((await call('GET', '/api/orders', { token: customer.token })).json['items']).toEqual(
            before.json['items'],
          ),
      };
    },
    'POST /api/products': async () => {
      const sku = `HOSTILE-${randomUUID().slice(0, 8)}`;
      return {
        token: admin,
        path: '/api/products',
        valueIs: 'number',
        body: ({ text = '', value = '100' }) =>
          `{"sku":"${sku}","name":"Hostile${text}","priceCents":${value},"currency":"EUR","initialStock":1}`,
        untouched: async () => expect((await call('GET', `/api/products/${sku}`)).status).toBe(404),
      };
    },
    'POST /api/products/{sku}/restock': async () => {
      const before = await call('GET', `/api/products/${stockSku}`);
      return {
        token: admin,
        path: `/api/products/${stockSku}/restock`,
        valueIs: 'number',
        // No string in this body: text goes in a member of its own.
        body: ({ text, value = '1' }) =>
          text === undefined ? `{"quantity":${value}}` : `{"quantity":${value},"note":"${text}"}`,
        untouched: async () =>
          expect((await call('GET', `/api/products/${stockSku}`)).json['available']).toBe(
            before.json['available'],
          ),
      };
    },
    'PUT /api/admin/payment-provider/faults': async () => {
      const before = await call('GET', '/api/admin/payment-provider/faults', { token: admin });
      return {
        token: admin,
        path: '/api/admin/payment-provider/faults',
        valueIs: 'number',
        // No string in this body: text goes in a member of its own.
        body: ({ text, value = '1' }) =>
          text === undefined
            ? `{"latencyMs":${value},"errorRate":0,"outage":false}`
            : `{"latencyMs":1,"errorRate":0,"outage":false,"note":"${text}"}`,
        untouched: async () =>
          expect((await call('GET', '/api/admin/payment-provider/faults', { token: admin })).json).toEqual(
            before.json,
          ),
      };
    },
  };

  /** A placeholder for bytes that cannot be in a JS string: replaced in the encoded body. */
  const notUtf8 = '\uE000';
  const json = 'application/json';
  const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  /** Each: how the accepted body is made hostile, and with what content type it goes. */
  const hostileBodies: [string, (target: BodyTarget) => { body: string; contentType?: string }][] = [
    ['invalid JSON (cut short)', (target) => ({ body: target.body({}).slice(0, -1), contentType: json })],
    [
      'a form content type',
      (target) => ({ body: target.body({}), contentType: 'application/x-www-form-urlencoded' }),
    ],
    ['text/plain', (target) => ({ body: target.body({}), contentType: 'text/plain' })],
    ['no content type', (target) => ({ body: target.body({}) })],
    ['a UTF-16 charset', (target) => ({ body: target.body({}), contentType: `${json}; charset=utf-16` })],
    [
      'an escaped NUL in a string',
      (target) => ({ body: target.body({ text: '\\u0000' }), contentType: json }),
    ],
    [
      'a raw NUL byte in a string',
      (target) => ({ body: target.body({ text: '\u0000' }), contentType: json }),
    ],
    [
      'bytes that are not UTF-8 in a string',
      (target) => ({ body: target.body({ text: notUtf8 }), contentType: json }),
    ],
    [
      'a right-to-left override in a string',
      (target) => ({ body: target.body({ text: '\u202E' }), contentType: json }),
    ],
    ['a huge number (1e308)', (target) => ({ body: target.body({ value: '1e308' }), contentType: json })],
    [
      'a number past the double range (1e999)',
      (target) => ({ body: target.body({ value: '1e999' }), contentType: json }),
    ],
    [
      'an integer past 2^53',
      (target) => ({ body: target.body({ value: '9007199254740993' }), contentType: json }),
    ],
    ['a negative number', (target) => ({ body: target.body({ value: '-1' }), contentType: json })],
    ['a fractional number', (target) => ({ body: target.body({ value: '0.5' }), contentType: json })],
    [
      'a value of the wrong type (a number as a string, a string as a number)',
      (target) => ({
        body: target.body({ value: target.valueIs === 'number' ? '"1"' : '1' }),
        contentType: json,
      }),
    ],
    ['an operator object', (target) => ({ body: target.body({ value: '{"$ne":null}' }), contentType: json })],
    ['JSON nested 5,000 levels', (target) => ({ body: target.body({ value: nested }), contentType: json })],
    [
      'a member named twice',
      (target) => {
        const accepted = target.body({});
        const [name, value] = Object.entries(JSON.parse(accepted) as Record<string, unknown>)[0] ?? [];
        return {
          body: `{${JSON.stringify(name)}:${JSON.stringify(value)},${accepted.slice(1)}`,
          contentType: json,
        };
      },
    ],
    [
      'a 10 KB member name',
      (target) => ({
        body: `${target.body({}).slice(0, -1)},"${'k'.repeat(10 * 1024)}":1}`,
        contentType: json,
      }),
    ],
    [
      'a __proto__ member',
      (target) => ({
        body: `${target.body({}).slice(0, -1)},"__proto__":{"roles":["admin"],"isAdmin":true}}`,
        contentType: json,
      }),
    ],
    [
      'a body over 64 KiB',
      (target) => ({ body: target.body({ text: 'x'.repeat(70 * 1024) }), contentType: json }),
    ],
    ['an array around the body', (target) => ({ body: `[${target.body({})}]`, contentType: json })],
    ['null', () => ({ body: 'null', contentType: json })],
    ['an empty body', () => ({ body: '', contentType: json })],
  ];

  it('when the OpenAPI document’s operations are listed, then they are exactly the rows of these tables', async () => {
    const document = await call('GET', '/api/openapi.json');
    const paths = document.json['paths'] as Record<string, Record<string, { requestBody?: unknown }>>;
    const operations = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'delete', 'patch'].includes(method))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(operations.map(({ name }) => name).sort()).toEqual([...documentedOperations].sort());
    expect(
      operations
        .filter(({ operation }) => operation.requestBody !== undefined)
        .map(({ name }) => name)
        .sort(),
    ).toEqual(Object.keys(bodyOperations).sort());
  });

  const bodyCases = Object.keys(bodyOperations).flatMap((operation) =>
    hostileBodies.map(([kind, make]) => [operation, kind, make] as const),
  );

  it.each(bodyCases)(
    'when %s gets %s, then a 4xx problem+json and nothing is stored',
    async (operation, _, make) => {
      const prepare = bodyOperations[operation];
      if (!prepare) throw new Error(`no row for ${operation}`);
      const target = await prepare();
      expect(() => JSON.parse(target.body({}))).not.toThrow();
      const { body, contentType } = make(target);
      const bytes = Buffer.from(body, 'utf8');
      const headers: Record<string, string> = { ...target.headers };
      if (contentType) headers['content-type'] = contentType;
      const reply = await call(operation.split(' ')[0] ?? 'POST', target.path, {
        token: target.token,
        headers,
        // The placeholder's UTF-8 bytes (EE 80 80) become FF FE 80: no UTF-8 text has them.
        raw: body.includes(notUtf8)
          ? Buffer.from(bytes.toString('hex').replaceAll('ee8080', 'fffe80'), 'hex')
          : bytes,
      });
      expectRefused(reply);
      await target.untouched();
    },
  );

  const aTraceId = '0123456789abcdef0123456789abcdef';
  const pathIdOperations: [string, (id: string) => string, () => string | undefined][] = [
    ['GET /api/orders/{orderId}', (id) => `/api/orders/${id}`, () => alice.token],
    ['GET /api/orders/{orderId}/events', (id) => `/api/orders/${id}/events`, () => alice.token],
    ['GET /api/payments?orderId=', (id) => `/api/payments?orderId=${id}`, () => alice.token],
    ['GET /api/products/{sku}', (id) => `/api/products/${id}`, () => undefined],
    ['POST /api/products/{sku}/restock', (id) => `/api/products/${id}/restock`, () => admin],
    ['GET /api/traces/{traceId}', (id) => `/api/traces/${id}`, () => alice.token],
  ];
  const hostileIds = [
    'not-a-uuid',
    'x'.repeat(300),
    '%00',
    '%FF%FE',
    '%',
    '1%27%20OR%201%3D1',
    '..%2F..%2Fetc%2Fpasswd',
    '%7B%22%24ne%22%3Anull%7D',
    '00000000-0000-0000-0000-000000000000',
    '-1',
  ];
  const idCases = pathIdOperations.flatMap(([operation, path, token]) =>
    hostileIds.map((id) => [operation, id, path, token] as const),
  );

  it.each(idCases)(
    'when %s is asked with the id %s, then a 4xx problem+json and nothing is stored',
    async (operation, id, path, token) => {
      const isWrite = operation.startsWith('POST');
      const reply = await call(isWrite ? 'POST' : 'GET', path(id), {
        token: token(),
        body: isWrite ? { quantity: 1 } : undefined,
      });
      expectRefused(reply);
      // Restocking an unknown sku must not have made it a product.
      if (isWrite) expect((await call('GET', `/api/products/${id}`)).status).not.toBe(200);
    },
  );

  /** A path each operation answers, its parameters filled. */
  const concrete = (template: string) =>
    template.replace('{orderId}', randomUUID()).replace('{sku}', 'TEA-GREEN').replace('{traceId}', aTraceId);
  const big = 'h'.repeat(10 * 1024);
  const bigHeaders: [string, Record<string, string>, () => string | undefined][] = [
    ['a 10 KB header value', { 'x-padding': big }, () => admin],
    ['a 10 KB bearer token', { authorization: `Bearer ${big}` }, () => undefined],
    ['a 10 KB Idempotency-Key', { 'idempotency-key': big }, () => alice.token],
    ['a 10 KB Last-Event-ID', { 'last-event-id': big }, () => alice.token],
    ['a 10 KB Cookie', { cookie: `session=${big}` }, () => alice.token],
  ];
  const headerCases = documentedOperations.flatMap((operation) =>
    bigHeaders.map(([kind, headers, token]) => [operation, kind, headers, token] as const),
  );

  it.each(headerCases)(
    'when %s gets %s, then never a 5xx, and any refusal is problem+json',
    async (operation, _, headers, token) => {
      const [method = 'GET', template = '/'] = operation.split(' ');
      // DELETE of the knobs would reset them for real; the header is what is tried, not the operation.
      const reply = await call(method === 'DELETE' ? 'GET' : method, concrete(template), {
        token: token(),
        headers,
      });
      expect(reply.status).toBeLessThan(500);
      if (reply.status >= 400)
        expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    },
  );

  it.each([
    ['GET /api/orders', '/api/orders'],
    ['GET /api/products', '/api/products'],
    ['GET /api/notifications', '/api/notifications'],
    ['GET /api/admin/audit', '/api/admin/audit'],
  ])('when %s is asked for hostile page sizes, then each is a 400 problem+json', async (_, path) => {
    for (const limit of ['-1', '0', '0.5', '1e308', '99999999999999999999', '%00', 'abc', '1&limit=2']) {
      const reply = await call('GET', `${path}?limit=${limit}`, { token: admin });
      expect({ limit, status: reply.status }).toEqual({ limit, status: 400 });
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('when all of the above has been sent, then nothing was logged at error level', () => {
    const errors = platform
      .output()
      .slice(outputBefore)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg?: string })
      .filter((entry) => entry.level >= 50);
    expect(errors).toEqual([]);
  });
});

describe('every answer of this suite', () => {
  it('when every answer is read, then each says nosniff and refuses framing', () => {
    expect(answers.length).toBeGreaterThan(500);
    const bare = answers
      .filter(
        ({ headers }) =>
          headers.get('x-content-type-options') !== 'nosniff' || headers.get('x-frame-options') !== 'DENY',
      )
      .map(({ request, status }) => `${status} ${request}`);
    expect(bare).toEqual([]);
  });

  it('when every answer of the API to a request with credentials is read, then none may be cached', () => {
    // The storefront's page and the JWKS are the same for everyone, credentials or not.
    const cacheable = answers
      .filter(
        ({ request, authenticated, headers }) =>
          authenticated &&
          / \/api\//.test(request) &&
          !String(headers.get('cache-control')).includes('no-store'),
      )
      .map(({ request, status }) => `${status} ${request}`);
    expect(cacheable).toEqual([]);
  });

  it('when every error answer is read, then each is problem+json', () => {
    const others = answers
      .filter(
        ({ status, headers }) =>
          status >= 400 && !/^application\/problem\+json/.test(String(headers.get('content-type'))),
      )
      .map(({ request, status }) => `${status} ${request}`);
    expect(others).toEqual([]);
  });

  it('when every error body is read, then none has a stack trace, an internal host or a port', () => {
    const errorBodies = answers.filter(({ status }) => status >= 400);
    expect(errorBodies.length).toBeGreaterThan(300);
    const leaking = errorBodies
      .filter(({ body }) =>
        /\bat [\w.<>]+ \(|node_modules|\.[jt]s:\d+|127\.0\.0\.1|localhost:\d+|:\d{4,5}\b|ECONNREFUSED|MongoServerError|SyntaxError|Unexpected token/.test(
          body,
        ),
      )
      .map(({ request, body }) => `${request}: ${body.slice(0, 300)}`);
    expect(leaking).toEqual([]);
  });
});
