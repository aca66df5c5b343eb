import { randomUUID } from 'node:crypto';
import type { NotificationDraft } from '../../src/domain/notification';
import type { Notification } from '../../src/domain/notification';
import type { NotificationStore } from '../../src/store/notification-store.port';

/** A clock the suite sets: each notification's time is what the clock says when it is recorded. */
export interface TestClock {
  now: Date;
}

export type NotificationStoreFactory = (clock: () => Date) => Promise<NotificationStore>;

const aDraft = (userId: string, overrides: Partial<NotificationDraft> = {}): NotificationDraft => ({
  userId,
  type: 'ORDER_CONFIRMED',
  orderId: randomUUID(),
  message: 'Your order is confirmed.',
  ...overrides,
});

/** Every page of a user's list, following `next` to the end. */
async function allPages(store: NotificationStore, userId: string, limit: number): Promise<Notification[][]> {
  const pages: Notification[][] = [];
  let page = await store.listOf(userId, { limit });
  pages.push(page.items);
  while (page.next) {
    page = await store.listOf(userId, { limit, after: page.next });
    pages.push(page.items);
  }
  return pages;
}

/** What every NotificationStore adapter must do; run against the in-memory and Cassandra adapters. */
export function describeNotificationStoreContract(name: string, createStore: NotificationStoreFactory): void {
  describe(`NotificationStore contract (${name})`, () => {
    let clock: TestClock;
    let store: NotificationStore;
    const at = (iso: string) => {
      clock.now = new Date(iso);
    };
    beforeEach(async () => {
      clock = { now: new Date('2026-01-01T00:00:00.000Z') };
      store = await createStore(() => clock.now);
    });

    it('when an event is recorded, then its user lists the notification with an id, the draft and the time', async () => {
      const userId = randomUUID();
      const draft = aDraft(userId, { message: 'Your order 42 is confirmed.' });
      at('2026-01-02T03:04:05.678Z');
      expect(await store.recordOnce(randomUUID(), draft)).toBe('recorded');
      const page = await store.listOf(userId, { limit: 10 });
      expect(page).toEqual({
        items: [
          {
            id: expect.stringMatching(/^[0-9a-f-]{36}$/),
            type: 'ORDER_CONFIRMED',
            orderId: draft.orderId,
            message: 'Your order 42 is confirmed.',
            createdAt: new Date('2026-01-02T03:04:05.678Z'),
          },
        ],
        next: null,
      });
    });

    it('when a notice concerns no order, then its orderId is null', async () => {
      const userId = randomUUID();
      await store.recordOnce(randomUUID(), aDraft(userId, { type: 'WELCOME', orderId: null }));
      expect((await store.listOf(userId, { limit: 10 })).items).toMatchObject([
        { type: 'WELCOME', orderId: null },
      ]);
    });

    it('when the same event is delivered again later, then it is a duplicate and the list keeps one notification', async () => {
      const userId = randomUUID();
      const eventId = randomUUID();
      expect(await store.recordOnce(eventId, aDraft(userId))).toBe('recorded');
      const [first] = (await store.listOf(userId, { limit: 10 })).items;
      at('2026-01-05T00:00:00.000Z');
      expect(await store.recordOnce(eventId, aDraft(userId))).toBe('duplicate');
      expect((await store.listOf(userId, { limit: 10 })).items).toEqual([first]);
    });

    it('when the same event is delivered many times concurrently, then exactly one delivery records it and one notification exists', async () => {
      const userId = randomUUID();
      const eventId = randomUUID();
      const draft = aDraft(userId);
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, index) => {
          // Each delivery sees another time, so a second row would show as a second notification.
          clock.now = new Date(Date.UTC(2026, 0, 1, 0, 0, index));
          return store.recordOnce(eventId, draft);
        }),
      );
      expect(outcomes.filter((outcome) => outcome === 'recorded')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(11);
      expect((await store.listOf(userId, { limit: 100 })).items).toHaveLength(1);
    });

    it('when distinct events concern the same order, then each gets its own notification', async () => {
      const userId = randomUUID();
      const orderId = randomUUID();
      await store.recordOnce(randomUUID(), aDraft(userId, { orderId }));
      await store.recordOnce(randomUUID(), aDraft(userId, { orderId, type: 'ORDER_CANCELLED' }));
      expect((await store.listOf(userId, { limit: 10 })).items).toHaveLength(2);
    });

    it('when notifications were recorded at different times, then the newest comes first', async () => {
      const userId = randomUUID();
      for (const [time, message] of [
        ['2026-01-02T00:00:00.000Z', 'second'],
        ['2026-01-01T00:00:00.000Z', 'first'],
        ['2026-01-03T00:00:00.000Z', 'third'],
      ] as const) {
        at(time);
        await store.recordOnce(randomUUID(), aDraft(userId, { message }));
      }
      const { items } = await store.listOf(userId, { limit: 10 });
      expect(items.map((item) => item.message)).toEqual(['third', 'second', 'first']);
    });

    it('when the list is read a page at a time, then the pages hold every notification once, newest first, and the last has no next', async () => {
      const userId = randomUUID();
      // Seven notifications, three of them sharing one instant: pages must not lose or repeat ties.
      const times = ['01', '02', '03', '03', '03', '04', '05'];
      for (const day of times) {
        at(`2026-01-${day}T00:00:00.000Z`);
        await store.recordOnce(randomUUID(), aDraft(userId, { message: `day ${day}` }));
      }
      const pages = await allPages(store, userId, 2);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
      const everything = (await store.listOf(userId, { limit: 100 })).items;
      expect(pages.flat()).toEqual(everything);
      expect(new Set(everything.map((item) => item.id)).size).toBe(7);
      expect(everything.map((item) => item.message)).toEqual([
        'day 05',
        'day 04',
        'day 03',
        'day 03',
        'day 03',
        'day 02',
        'day 01',
      ]);
    });

    it('when the last page is exactly full, then it still has no next', async () => {
      const userId = randomUUID();
      for (const day of ['01', '02']) {
        at(`2026-01-${day}T00:00:00.000Z`);
        await store.recordOnce(randomUUID(), aDraft(userId));
      }
      const page = await store.listOf(userId, { limit: 2 });
      expect(page.items).toHaveLength(2);
      expect(page.next).toBeNull();
    });

    it('when a user has no notifications, then the list is empty with no next', async () => {
      expect(await store.listOf(randomUUID(), { limit: 20 })).toEqual({ items: [], next: null });
    });

    it("when two users have notifications, then each lists only their own, also when paging from the other's position", async () => {
      const alice = randomUUID();
      const bob = randomUUID();
      await store.recordOnce(randomUUID(), aDraft(alice, { message: 'for alice' }));
      at('2026-01-02T00:00:00.000Z');
      await store.recordOnce(randomUUID(), aDraft(bob, { message: 'for bob' }));
      at('2026-01-03T00:00:00.000Z');
      await store.recordOnce(randomUUID(), aDraft(bob, { message: 'for bob, later' }));
      expect((await store.listOf(alice, { limit: 10 })).items.map((item) => item.message)).toEqual([
        'for alice',
      ]);
      const bobsFirstPage = await store.listOf(bob, { limit: 1 });
      expect(bobsFirstPage.items.map((item) => item.message)).toEqual(['for bob, later']);
      if (!bobsFirstPage.next) throw new Error('expected a next page');
      expect(
        (await store.listOf(alice, { limit: 10, after: bobsFirstPage.next })).items.map((i) => i.message),
      ).toEqual(['for alice']);
    });
  });
}
