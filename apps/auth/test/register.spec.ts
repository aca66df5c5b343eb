import type { RunningApp } from '@platform/testing';
import { AuthClient, startEmbeddedAuth } from './support/auth-client';
import { aRegistration } from './support/builders';

describe('POST /api/auth/register', () => {
  let auth: RunningApp;
  let client: AuthClient;
  beforeAll(async () => {
    auth = await startEmbeddedAuth();
    client = new AuthClient(auth.baseUrl);
  });
  afterAll(() => auth.close());

  describe('when the body is valid and the email is new', () => {
    it('then it answers 201 with the account and the customer role, never the password', async () => {
      const registration = aRegistration({ name: 'Grace Hopper' });
      const reply = await client.register(registration);
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        id: expect.any(String),
        email: registration.email,
        name: 'Grace Hopper',
        roles: ['customer'],
      });
    });

    it('then the email is stored lower-cased', async () => {
      const reply = await client.register(aRegistration({ email: 'Mixed.Case@Example.COM' }));
      expect(reply.body.email).toBe('mixed.case@example.com');
    });
  });

  describe('when the email is already registered', () => {
    it('then a second registration answers 409 email-taken', async () => {
      const registration = aRegistration();
      await client.register(registration);
      const reply = await client.register({ ...registration, name: 'Someone Else' });
      expect(reply.status).toBe(409);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ status: 409, type: '/problems/email-taken' });
    });

    it('then the same email in other letter case answers 409', async () => {
      const registration = aRegistration({ email: 'case.test@example.com' });
      expect((await client.register(registration)).status).toBe(201);
      expect((await client.register({ ...registration, email: 'CASE.Test@EXAMPLE.com' })).status).toBe(409);
    });

    it('then of two parallel registrations one answers 201 and the other 409', async () => {
      const registration = aRegistration();
      const replies = await Promise.all([
        client.register(registration),
        client.register({ ...registration, email: registration.email.toUpperCase() }),
      ]);
      expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409]);
    });
  });

  describe('when the body is invalid', () => {
    it.each([
      ['a password of 11 characters', { password: 'elevenchars' }, 'password'],
      ['a password of 129 characters', { password: 'x'.repeat(129) }, 'password'],
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['an empty name', { name: '' }, 'name'],
      ['a name of 101 characters', { name: 'n'.repeat(101) }, 'name'],
      ['a name with a NUL', { name: 'abc\u0000def' }, 'name'],
      ['a name with a lone surrogate', { name: 'abc\ud800def' }, 'name'],
      ['a name with a right-to-left override', { name: 'abc\u202Egnp.exe' }, 'name'],
      ['a name with a newline', { name: 'Ada\nINFO forged log line' }, 'name'],
      ['an email whose local part has 65 characters', { email: `${'a'.repeat(65)}@example.com` }, 'email'],
    ])('then %s answers 400 validation-failed naming the field', async (_case, override, field) => {
      const reply = await client.register(aRegistration(override));
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ status: 400, type: '/problems/validation-failed' });
      expect(reply.body.errors).toEqual([expect.objectContaining({ field })]);
    });

    it('then an unknown field answers 400 naming it', async () => {
      const reply = await client.post('/api/auth/register', { ...aRegistration(), roles: ['admin'] });
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([{ field: 'roles', message: expect.any(String) }]);
    });

    it('then a missing field answers 400 naming it', async () => {
      const { name: _name, ...withoutName } = aRegistration();
      const reply = await client.post('/api/auth/register', withoutName);
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    });

    it('then a name in any script and an email local part of exactly 64 characters are accepted', async () => {
      const reply = await client.register(
        aRegistration({ name: 'Ada Lovelace-Byron, 李雷, Zoë 🍵', email: `${'a'.repeat(64)}@example.com` }),
      );
      expect(reply.status).toBe(201);
    });

    it('then a password of exactly 12 and 128 characters is accepted', async () => {
      expect((await client.register(aRegistration({ password: 'x'.repeat(12) }))).status).toBe(201);
      expect((await client.register(aRegistration({ password: 'x'.repeat(128) }))).status).toBe(201);
    });

    it('then a body that is not JSON answers 400 problem+json', async () => {
      const response = await fetch(`${auth.baseUrl}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{nope',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });
});
