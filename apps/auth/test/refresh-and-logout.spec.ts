import type { RunningApp } from '@platform/testing';
import { AuthClient, startEmbeddedAuth } from './support/auth-client';
import { aRegistration } from './support/builders';

describe('POST /api/auth/refresh and /api/auth/logout', () => {
  let auth: RunningApp;
  let client: AuthClient;
  beforeAll(async () => {
    auth = await startEmbeddedAuth();
    client = new AuthClient(auth.baseUrl);
  });
  afterAll(() => auth.close());

  describe('when a fresh refresh token is presented', () => {
    it('then it answers 200 with a new pair, and the new refresh token works in turn', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      const first = await client.refresh(tokens.refreshToken);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-store');
      expect(first.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      expect(first.body.refreshToken).not.toBe(tokens.refreshToken);
      expect((await client.me(first.body.accessToken)).status).toBe(200);
      expect((await client.refresh(first.body.refreshToken)).status).toBe(200);
    });
  });

  describe('when a spent refresh token is presented again (reuse)', () => {
    it('then it answers 401 and the whole family is revoked, the legitimate new token included', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      const legitimate = await client.refresh(tokens.refreshToken);
      const replay = await client.refresh(tokens.refreshToken);
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ status: 401, type: '/problems/invalid-refresh-token' });
      expect(replay.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await client.refresh(legitimate.body.refreshToken)).status).toBe(401);
    });

    it('then other families of the same user are not affected', async () => {
      const registration = aRegistration();
      const { tokens: phone } = await client.registeredAndLoggedIn(registration);
      const laptop = (await client.login(registration)).body;
      await client.refresh(phone.refreshToken);
      await client.refresh(phone.refreshToken);
      expect((await client.refresh(laptop.refreshToken)).status).toBe(200);
    });
  });

  describe('when two refreshes of the same token race', () => {
    it('then exactly one wins, the other is treated as reuse, and the family is revoked', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      const replies = await Promise.all([
        client.refresh(tokens.refreshToken),
        client.refresh(tokens.refreshToken),
      ]);
      expect(replies.map((reply) => reply.status).sort()).toEqual([200, 401]);
      const winner = replies.find((reply) => reply.status === 200);
      expect((await client.refresh(winner?.body.refreshToken)).status).toBe(401);
    });
  });

  describe('when the refresh token is unknown or malformed', () => {
    it('then an unknown token answers 401', async () => {
      expect((await client.refresh('bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtbm90LWF0LWFsbA')).status).toBe(401);
    });

    it('then a body without refreshToken answers 400', async () => {
      expect((await client.post('/api/auth/refresh', {})).status).toBe(400);
    });
  });

  describe('when the refresh token has expired', () => {
    it('then it answers 401', async () => {
      const shortLived = await startEmbeddedAuth({ REFRESH_TOKEN_TTL_SECONDS: '1' });
      try {
        const shortClient = new AuthClient(shortLived.baseUrl);
        const { tokens } = await shortClient.registeredAndLoggedIn(aRegistration());
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect((await shortClient.refresh(tokens.refreshToken)).status).toBe(401);
      } finally {
        await shortLived.close();
      }
    });
  });

  describe('when the user logs out', () => {
    it('then it answers 204 and the refresh token, and its family, no longer refresh', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      const next = (await client.refresh(tokens.refreshToken)).body;
      const reply = await client.logout(next.refreshToken);
      expect(reply.status).toBe(204);
      expect(reply.body).toBeUndefined();
      expect((await client.refresh(next.refreshToken)).status).toBe(401);
    });

    it('then logging out with a spent token of the family revokes the family too', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      const next = (await client.refresh(tokens.refreshToken)).body;
      expect((await client.logout(tokens.refreshToken)).status).toBe(204);
      expect((await client.refresh(next.refreshToken)).status).toBe(401);
    });

    it('then an unknown token, or a second logout, also answers 204', async () => {
      const { tokens } = await client.registeredAndLoggedIn(aRegistration());
      expect((await client.logout(tokens.refreshToken)).status).toBe(204);
      expect((await client.logout(tokens.refreshToken)).status).toBe(204);
      expect((await client.logout('never-issued-token')).status).toBe(204);
    });

    it('then a body with an unknown field answers 400', async () => {
      expect((await client.post('/api/auth/logout', { refreshToken: 'x', everywhere: true })).status).toBe(
        400,
      );
    });
  });
});
