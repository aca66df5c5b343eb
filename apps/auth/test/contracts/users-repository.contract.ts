import { EmailTakenError } from '../../src/domain/errors';
import type { UsersRepository } from '../../src/users/users.repository.port';
import { aUser } from '../support/builders';

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

    it('when a user is inserted, then it is found by id and by email, outbox included', async () => {
      const user = aUser();
      await users.insert(user);
      expect(await users.findById(user.id)).toEqual(user);
      expect(await users.findByEmail(user.email)).toEqual(user);
    });

    it('when the user was registered, then its UserRegistered outbox entry is complete', async () => {
      const user = aUser({ name: 'Outbox Owner' });
      await users.insert(user);
      const [event] = (await users.findById(user.id))?.outbox ?? [];
      expect(event).toEqual({
        id: expect.any(String),
        type: 'UserRegistered',
        occurredAt: user.createdAt,
        data: { userId: user.id, email: user.email, name: 'Outbox Owner' },
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/),
        state: 'pending',
        attempts: 0,
      });
    });

    it('when nothing matches, then lookups return undefined', async () => {
      expect(await users.findById('no-such-id')).toBeUndefined();
      expect(await users.findByEmail('nobody@example.com')).toBeUndefined();
    });

    it('when a second user has the same email, then insert throws EmailTakenError and the first is kept', async () => {
      const first = aUser();
      await users.insert(first);
      await expect(users.insert(aUser({ email: first.email }))).rejects.toBeInstanceOf(EmailTakenError);
      expect((await users.findByEmail(first.email))?.id).toBe(first.id);
    });

    it('when two users with one email are inserted concurrently, then exactly one is stored', async () => {
      const email = aUser().email;
      const results = await Promise.allSettled([
        users.insert(aUser({ email })),
        users.insert(aUser({ email })),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((result) => result.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(EmailTakenError);
    });

    it('when a returned user is changed, then the stored one is not', async () => {
      const user = aUser();
      await users.insert(user);
      const found = await users.findById(user.id);
      found?.roles.push('admin');
      expect((await users.findById(user.id))?.roles).toEqual(['customer']);
    });
  });
}
