import { randomUUID } from 'node:crypto';
import { embeddedMessageBus } from '@platform/messaging';
import { eventually, type RunningApp } from '@platform/testing';
import { anOrderCancelled, anOrderConfirmed, aUserRegistered } from './support/events';
import { type FakeAuthServer, startFakeAuthServer } from '@platform/auth/testing';
import { startEmbeddedNotification } from './support/notification-app';
import { getNotifications } from './support/notifications-client';

describe('GET /api/notifications (embedded profile)', () => {
  let auth: FakeAuthServer;
  let service: RunningApp;
  beforeAll(async () => {
    auth = await startFakeAuthServer();
    // A clock a second ahead at every notification: list order is then certain, even within one millisecond.
    let tick = Date.UTC(2026, 0, 1);
    service = await startEmbeddedNotification(
      { AUTH_URL: auth.url },
      { clock: () => new Date((tick += 1000)) },
    );
  });
  afterAll(async () => {
    await service.close();
    await auth.close();
  });

  const bus = () => embeddedMessageBus();
  /** The caller's list once it holds `count` notifications. */
  const listOnceItHas = async (token: string, count: number) =>
    eventually(
      async () => {
        const reply = await getNotifications(service.baseUrl, token, { limit: '100' });
        return reply.body?.items?.length === count ? reply : undefined;
      },
      5000,
      20,
    );

  describe('when an event has been handled', () => {
    it("then /metrics counts it among the consumer group's handled messages", async () => {
      const userId = randomUUID();
      await bus().publish(aUserRegistered(userId, 'Metered Person'));
      await listOnceItHas(await auth.tokenFor(userId), 1);
      const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(
        /messaging_handled_total\{[^}]*group="notification"[^}]*outcome="ok"[^}]*\} [1-9]/,
      );
    });
  });

  describe('when order and user events are published', () => {
    it('then the customer sees one notification per event, newest first, with the text of each', async () => {
      const userId = randomUUID();
      const token = await auth.tokenFor(userId);
      const confirmed = anOrderConfirmed(userId);
      await bus().publish(aUserRegistered(userId, 'Ada Lovelace'));
      await listOnceItHas(token, 1);
      await bus().publish(confirmed);
      await listOnceItHas(token, 2);
      const cancelled = anOrderCancelled(userId, 'OUT_OF_STOCK');
      await bus().publish(cancelled);
      const reply = await listOnceItHas(token, 3);
      expect(reply.status).toBe(200);
      expect(reply.body.nextCursor).toBeNull();
      const orderIdOf = (message: { data: unknown }) => (message.data as { orderId: string }).orderId;
      expect(reply.body.items).toEqual([
        {
          id: expect.any(String),
          type: 'ORDER_CANCELLED',
          orderId: orderIdOf(cancelled),
          message: `Your order ${orderIdOf(cancelled)} was cancelled because some of its items are out of stock.`,
          createdAt: expect.stringMatching(/^2026-01-01T\d\d:\d\d:\d\d\.000Z$/),
        },
        {
          id: expect.any(String),
          type: 'ORDER_CONFIRMED',
          orderId: orderIdOf(confirmed),
          message: `Your order ${orderIdOf(confirmed)} is confirmed. Total: €25.99.`,
          createdAt: expect.any(String),
        },
        {
          id: expect.any(String),
          type: 'WELCOME',
          orderId: null,
          message: 'Welcome, Ada Lovelace! Your account is ready.',
          createdAt: expect.any(String),
        },
      ]);
    });

    it('then the same event delivered three times makes one notification', async () => {
      const userId = randomUUID();
      const token = await auth.tokenFor(userId);
      const confirmed = anOrderConfirmed(userId);
      for (let delivery = 0; delivery < 3; delivery++) await bus().publish(confirmed);
      // A marker published after the duplicates on the same key (so the same partition) arrives after them.
      await bus().publish(
        anOrderCancelled(userId, 'TIMEOUT', (confirmed.data as { orderId: string }).orderId),
      );
      const reply = await listOnceItHas(token, 2);
      expect(reply.body.items.map((item: { type: string }) => item.type)).toEqual([
        'ORDER_CANCELLED',
        'ORDER_CONFIRMED',
      ]);
    });

    it('then another customer sees none of them', async () => {
      const owner = randomUUID();
      await bus().publish(anOrderConfirmed(owner));
      await listOnceItHas(await auth.tokenFor(owner), 1);
      const reply = await getNotifications(service.baseUrl, await auth.tokenFor(randomUUID()));
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('when the list is longer than a page', () => {
    it('then nextCursor leads through every notification once, and the last page has none', async () => {
      const userId = randomUUID();
      const token = await auth.tokenFor(userId);
      for (let index = 0; index < 5; index++) await bus().publish(anOrderConfirmed(userId));
      const all = (await listOnceItHas(token, 5)).body.items;
      const seen: unknown[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const reply = await getNotifications(service.baseUrl, token, {
          limit: '2',
          ...(cursor ? { cursor } : {}),
        });
        expect(reply.status).toBe(200);
        seen.push(...reply.body.items);
        cursor = reply.body.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(all);
    });

    it('then a nextCursor that was cut short answers 400 problem+json', async () => {
      const userId = randomUUID();
      const token = await auth.tokenFor(userId);
      for (let index = 0; index < 2; index++) await bus().publish(anOrderConfirmed(userId));
      await listOnceItHas(token, 2);
      const { nextCursor } = (await getNotifications(service.baseUrl, token, { limit: '1' })).body;
      expect(typeof nextCursor).toBe('string');
      expect((await getNotifications(service.baseUrl, token, { cursor: nextCursor })).status).toBe(200);
      const reply = await getNotifications(service.baseUrl, token, { cursor: nextCursor.slice(0, -2) });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ status: 400, detail: expect.stringMatching(/cursor/) });
    });

    it('then without a limit a page holds 20', async () => {
      const userId = randomUUID();
      const token = await auth.tokenFor(userId);
      for (let index = 0; index < 21; index++) await bus().publish(anOrderConfirmed(userId));
      await listOnceItHas(token, 21);
      const reply = await getNotifications(service.baseUrl, token);
      expect(reply.body.items).toHaveLength(20);
      expect(typeof reply.body.nextCursor).toBe('string');
    });
  });

  describe('when the request is not acceptable', () => {
    it('then without a token it answers 401 problem+json with WWW-Authenticate: Bearer', async () => {
      const reply = await getNotifications(service.baseUrl, undefined);
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('then a token signed by another key answers 401', async () => {
      const stranger = await startFakeAuthServer();
      try {
        const reply = await getNotifications(service.baseUrl, await stranger.tokenFor(randomUUID()));
        expect(reply.status).toBe(401);
      } finally {
        await stranger.close();
      }
    });

    it.each([
      ['a cursor that is not one of ours', { cursor: 'not-a-cursor' }],
      ['a cursor whose id is not a UUID', { cursor: Buffer.from('{"t":1,"i":"x"}').toString('base64url') }],
      ['a limit of 0', { limit: '0' }],
      ['a limit over 100', { limit: '101' }],
      ['a limit that is not a number', { limit: 'ten' }],
      ['an unknown parameter', { user: 'someone-else' }],
    ])('then %s answers 400 problem+json', async (_case, query) => {
      const reply = await getNotifications(service.baseUrl, await auth.tokenFor(randomUUID()), query);
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body).toMatchObject({ status: 400 });
    });
  });

  describe('when storing a notification fails once', () => {
    it('then the event is delivered again and makes exactly one notification', async () => {
      const failing = new Set<string>();
      const flakyAuth = await startFakeAuthServer();
      const flaky = await startEmbeddedNotification(
        // A group of its own, so this instance gets every event independently of the one above.
        { AUTH_URL: flakyAuth.url, KAFKA_CONSUMER_GROUP: `notification-flaky-${randomUUID()}` },
        {
          decorateStore: (store) => ({
            ensureSchema: () => store.ensureSchema(),
            listOf: (userId, page) => store.listOf(userId, page),
            recordOnce: async (eventId, draft) => {
              if (!failing.has(eventId)) {
                failing.add(eventId);
                throw new Error('injected: store unavailable');
              }
              return store.recordOnce(eventId, draft);
            },
          }),
        },
      );
      try {
        const userId = randomUUID();
        const confirmed = anOrderConfirmed(userId);
        await bus().publish(confirmed);
        const reply = await eventually(
          async () => {
            const found = await getNotifications(flaky.baseUrl, await flakyAuth.tokenFor(userId));
            return found.body?.items?.length > 0 ? found : undefined;
          },
          10_000,
          50,
        );
        expect(failing.has(confirmed.id ?? '')).toBe(true);
        expect(reply.body.items).toHaveLength(1);
      } finally {
        await flaky.close();
        await flakyAuth.close();
      }
    }, 20_000);
  });

  it('when asked for readiness, then the embedded profile is ready', async () => {
    expect((await fetch(`${service.baseUrl}/readyz`)).status).toBe(200);
  });
});
