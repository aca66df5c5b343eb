import type { RunningApp } from '@platform/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { AuthClient, startEmbeddedAuth } from './support/auth-client';
import { aRegistration, anAddress } from './support/builders';

// Every login hashes a password (Argon2, slow on purpose): the tests that log in a hundred times
// take seconds, many more on a busy machine, so they get a bound far above jest's 5 s default.
jest.setTimeout(120_000);

describe('POST /api/auth/login', () => {
  let auth: RunningApp;
  let client: AuthClient;
  beforeAll(async () => {
    auth = await startEmbeddedAuth();
    client = new AuthClient(auth.baseUrl);
  });
  afterAll(() => auth.close());

  describe('when the credentials are right', () => {
    it('then it answers 200 with a Bearer access token of 900 s and a refresh token, not cacheable', async () => {
      const registration = aRegistration();
      await client.register(registration);
      const reply = await client.login(registration);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
    });

    it('then the access token is an EdDSA at+jwt for the user with iss, aud, roles, iat, exp and jti', async () => {
      const registration = aRegistration();
      const { user, tokens } = await client.registeredAndLoggedIn(registration);
      expect(decodeProtectedHeader(tokens.accessToken)).toEqual({
        alg: 'EdDSA',
        kid: expect.any(String),
        typ: 'at+jwt',
      });
      const claims = decodeJwt(tokens.accessToken);
      expect(claims).toMatchObject({
        iss: 'platform-auth',
        aud: 'platform',
        sub: user.id,
        roles: ['customer'],
        jti: expect.any(String),
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    });

    it('then the email matches in any letter case', async () => {
      const registration = aRegistration();
      await client.register(registration);
      expect((await client.login({ ...registration, email: registration.email.toUpperCase() })).status).toBe(
        200,
      );
    });
  });

  describe('when the credentials are wrong', () => {
    it('then a wrong password and an unknown email answer the same 401 body', async () => {
      const registration = aRegistration();
      await client.register(registration);
      const wrongPassword = await client.login({ ...registration, password: 'not the right password' });
      const unknownEmail = await client.login({
        email: 'nobody-here@example.com',
        password: registration.password,
      });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      const { traceId: _a, ...first } = wrongPassword.body;
      const { traceId: _b, ...second } = unknownEmail.body;
      expect(first).toEqual(second);
      expect(first).toMatchObject({ status: 401, type: '/problems/invalid-credentials' });
      expect(wrongPassword.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('then an unknown field answers 400', async () => {
      const { email, password } = aRegistration();
      const reply = await client.post('/api/auth/login', { email, password, remember: true });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        type: '/problems/validation-failed',
        errors: [expect.objectContaining({ field: 'remember' })],
      });
    });
  });

  describe('when one account fails 5 times from one address within the window', () => {
    it('then the 6th attempt from that address answers 429 with Retry-After, even with the right password', async () => {
      const registration = aRegistration();
      const guesser = new AuthClient(auth.baseUrl, anAddress());
      await client.register(registration);
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect((await guesser.login({ ...registration, password: `wrong password ${attempt}` })).status).toBe(
          401,
        );
      }
      const blocked = await guesser.login(registration);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ status: 429, type: '/problems/too-many-attempts' });
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
    });

    it('then the account’s owner, from an address that has not failed, still logs in (no lock-out to aim at a victim)', async () => {
      const victim = aRegistration();
      const attacker = new AuthClient(auth.baseUrl, anAddress());
      await client.register(victim);
      for (let attempt = 1; attempt <= 6; attempt++)
        await attacker.login({ ...victim, password: 'wrong password here' });
      expect((await new AuthClient(auth.baseUrl, anAddress()).login(victim)).status).toBe(200);
    });

    it('then other accounts can still log in from that address', async () => {
      const victim = aRegistration();
      const bystander = aRegistration();
      const shared = new AuthClient(auth.baseUrl, anAddress());
      await client.register(victim);
      await client.register(bystander);
      for (let attempt = 1; attempt <= 6; attempt++)
        await shared.login({ ...victim, password: 'wrong password here' });
      expect((await shared.login(bystander)).status).toBe(200);
    });
  });

  describe('when one address fails 100 times within the window (credential stuffing)', () => {
    it('then its next attempt answers 429, for any account, while other addresses are served', async () => {
      const attacker = new AuthClient(auth.baseUrl, anAddress());
      for (let attempt = 1; attempt <= 100; attempt++) {
        expect(
          (await attacker.login({ email: `guess-${attempt}@example.com`, password: 'password guess' }))
            .status,
        ).toBe(401);
      }
      const registration = aRegistration();
      await client.register(registration);
      const blocked = await attacker.login(registration);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await client.login(registration)).status).toBe(200);
    });

    it('then successful logins from that address do not count against it', async () => {
      const office = new AuthClient(auth.baseUrl, anAddress());
      const registration = aRegistration();
      await office.register(registration);
      for (let attempt = 1; attempt <= 25; attempt++)
        expect((await office.login(registration)).status).toBe(200);
    });
  });

  describe('when the seeded admin logs in', () => {
    it('then it gets a token with the admin role', async () => {
      const reply = await client.login({
        email: 'admin@platform.local',
        password: 'platform-admin-password',
      });
      expect(reply.status).toBe(200);
      expect(decodeJwt(reply.body.accessToken).roles).toEqual(['admin']);
    });
  });
});

describe('admin seeding', () => {
  it('when ADMIN_EMAIL and ADMIN_PASSWORD are set, then that account is the admin', async () => {
    const auth = await startEmbeddedAuth({
      ADMIN_EMAIL: 'Root@Example.com',
      ADMIN_PASSWORD: 'a configured admin password',
    });
    try {
      const reply = await new AuthClient(auth.baseUrl).login({
        email: 'root@example.com',
        password: 'a configured admin password',
      });
      expect(reply.status).toBe(200);
      expect(decodeJwt(reply.body.accessToken).roles).toEqual(['admin']);
    } finally {
      await auth.close();
    }
  });
});
