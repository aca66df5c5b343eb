import {
  InMemoryOutboxStore,
  type OutboxDocument,
  type StoredOutboxEvent,
  outboxFieldsOf,
} from '@platform/messaging';
import { EmailTakenError } from '../domain/errors';
import type { User } from '../domain/user';
import type { UsersRepository } from './users.repository.port';

type UserDocument = User & OutboxDocument;

/**
 * The embedded profile's users: a map, copied in and out so callers cannot change what is stored.
 * The outbox relay reads and removes pending events in the same map, as it does in the users
 * collection.
 */
export class InMemoryUsersRepository implements UsersRepository {
  private readonly byId = new Map<string, UserDocument>();
  private readonly idByEmail = new Map<string, string>();
  readonly outbox = new InMemoryOutboxStore(this.byId);

  async ensureIndexes(): Promise<void> {
    // A map keyed by email is its own unique index.
  }

  async insert(user: User, events: readonly StoredOutboxEvent[]): Promise<void> {
    if (this.idByEmail.has(user.email)) throw new EmailTakenError();
    this.byId.set(user.id, structuredClone({ ...user, ...outboxFieldsOf(events) }));
    this.idByEmail.set(user.email, user.id);
    if (events.length > 0) this.outbox.written.notify({ aggregateId: user.id, events });
  }

  async findById(id: string): Promise<User | undefined> {
    const document = this.byId.get(id);
    if (!document) return undefined;
    const { email, name, roles, passwordHash, createdAt } = structuredClone(document);
    return { id, email, name, roles, passwordHash, createdAt };
  }

  async findByEmail(normalizedEmail: string): Promise<User | undefined> {
    const id = this.idByEmail.get(normalizedEmail);
    return id === undefined ? undefined : this.findById(id);
  }
}
