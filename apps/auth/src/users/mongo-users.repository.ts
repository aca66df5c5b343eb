import type { Collection, Db } from 'mongodb';
import {
  MongoOutboxStore,
  type OutboxDocument,
  type StoredOutboxEvent,
  outboxFieldsOf,
} from '@platform/messaging';
import { isDuplicateKeyError } from '@platform/persistence';
import { EmailTakenError } from '../domain/errors';
import type { User } from '../domain/user';
import type { UsersRepository } from './users.repository.port';

/** The stored shape: the domain user with MongoDB's `_id`, and its pending events. */
type UserDocument = Omit<User, 'id'> & OutboxDocument & { _id: string };

export class MongoUsersRepository implements UsersRepository {
  private readonly users: Collection<UserDocument>;
  readonly outbox: MongoOutboxStore;

  constructor(db: Db, collectionName = 'users') {
    this.users = db.collection<UserDocument>(collectionName);
    this.outbox = new MongoOutboxStore(db, collectionName);
  }

  async ensureIndexes(): Promise<void> {
    await this.users.createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
    await this.outbox.ensureIndexes();
  }

  async insert(user: User, events: readonly StoredOutboxEvent[]): Promise<void> {
    const { id, ...rest } = user;
    try {
      await this.users.insertOne({ _id: id, ...rest, ...outboxFieldsOf(events) });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new EmailTakenError();
      throw error;
    }
    if (events.length > 0) this.outbox.written.notify({ aggregateId: id, events });
  }

  async findById(id: string): Promise<User | undefined> {
    return userOf(await this.users.findOne({ _id: id }));
  }

  async findByEmail(normalizedEmail: string): Promise<User | undefined> {
    return userOf(await this.users.findOne({ email: normalizedEmail }));
  }
}

function userOf(document: UserDocument | null): User | undefined {
  if (!document) return undefined;
  const { _id, email, name, roles, passwordHash, createdAt } = document;
  return { id: _id, email, name, roles, passwordHash, createdAt };
}
