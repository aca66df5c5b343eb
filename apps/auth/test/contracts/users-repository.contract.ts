import { randomUUID } from 'node:crypto';
import { EmailTakenError } from '../../src/domain/errors';
import type { User } from '../../src/domain/user';
import type { UsersRepository } from '../../src/users/users.repository.port';
import { aUser, aUserRegistered } from '../support/builders';

export interface ContractSubject<Port> {
  repository: Port;
  /** Drops what the run created (a database, a collection); nothing for in-memory adapters. */
  cleanup(): Promise<void>;
}

/** What every UsersRepository adapter must do; run against the in-memory adapter and against MongoDB. */
export function describeUsersRepositoryContract(
  name: string,
  factory: () => Promise<ContractSubject<UsersRepository>>,
): void {
  describe(`UsersRepository contract: ${name}`, () => {
    let subject: ContractSubject<UsersRepository>;
    let users: UsersRepository;
    beforeAll(async () => {
      subject = await factory();
      users = subject.repository;
      await users.ensureIndexes();
    });
    afterAll(() => subject.cleanup());

    const insert = (user: User) => users.insert(user, [aUserRegistered(user)]);
    const pendingEvents = async () =>
      (
        await users.outbox.claim({
          owner: `contract-${randomUUID()}`,
          limit: 10_000,
          leaseMs: 1,
          now: new Date(),
        })
      ).map((claimed) => claimed.event);

    it('when a user is inserted, then it is found by id and by email', async () => {
      const user = aUser();
      await insert(user);
      expect(await users.findById(user.id)).toEqual(user);
      expect(await users.findByEmail(user.email)).toEqual(user);
    });

    it('when a user is inserted with its UserRegistered event, then the outbox offers the event as written', async () => {
      const user = aUser({ name: 'Outbox Owner' });
      const registered = aUserRegistered(user);
      await users.insert(user, [registered]);
      expect(await pendingEvents()).toContainEqual(registered);
    });

    it('when a user is inserted with events, then the outbox relay is woken', async () => {
      let wakeUps = 0;
      const stop = users.outbox.written.listen(() => wakeUps++);
      await insert(aUser());
      stop();
      expect(wakeUps).toBe(1);
    });

    it('when nothing matches, then lookups return undefined', async () => {
      expect(await users.findById('no-such-id')).toBeUndefined();
      expect(await users.findByEmail('nobody@example.com')).toBeUndefined();
    });

    it('when a second user has the same email, then insert throws EmailTakenError, the first is kept and the second event never offered', async () => {
      const first = aUser();
      await insert(first);
      const second = aUser({ email: first.email });
      const refused = aUserRegistered(second);
      await expect(users.insert(second, [refused])).rejects.toBeInstanceOf(EmailTakenError);
      expect((await users.findByEmail(first.email))?.id).toBe(first.id);
      expect((await pendingEvents()).map((event) => event.id)).not.toContain(refused.id);
    });

    it('when two users with one email are inserted concurrently, then exactly one is stored', async () => {
      const email = aUser().email;
      const results = await Promise.allSettled([insert(aUser({ email })), insert(aUser({ email }))]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((result) => result.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(EmailTakenError);
    });

    it('when a returned user is changed, then the stored one is not', async () => {
      const user = aUser();
      await insert(user);
      const found = await users.findById(user.id);
      found?.roles.push('admin');
      expect((await users.findById(user.id))?.roles).toEqual(['customer']);
    });
  });
}
