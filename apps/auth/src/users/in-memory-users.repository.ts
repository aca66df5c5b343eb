import { EmailTakenError } from '../domain/errors';
import type { User } from '../domain/user';
import type { UsersRepository } from './users.repository.port';

/**
 * The embedded profile's users: a map, copied in and out so callers cannot change what is stored.
 * The outbox relay reads and removes pending events in the same map (`documents`), as it does in
 * the users collection.
 */
export class InMemoryUsersRepository implements UsersRepository {
  readonly documents = new Map<string, User>();
  private readonly byId = this.documents;
  private readonly idByEmail = new Map<string, string>();

  async ensureIndexes(): Promise<void> {
    // A map keyed by email is its own unique index.
  }

  async insert(user: User): Promise<void> {
    if (this.idByEmail.has(user.email)) throw new EmailTakenError();
    this.byId.set(user.id, structuredClone(user));
    this.idByEmail.set(user.email, user.id);
  }

  async findById(id: string): Promise<User | undefined> {
    const user = this.byId.get(id);
    return user && structuredClone(user);
  }

  async findByEmail(normalizedEmail: string): Promise<User | undefined> {
    const id = this.idByEmail.get(normalizedEmail);
    return id === undefined ? undefined : this.findById(id);
  }
}
