import { MongoServerError, type Collection, type Db } from 'mongodb';
import { EmailTakenError } from '../domain/errors';
import type { User } from '../domain/user';
import type { UsersRepository } from './users.repository.port';

/** The stored shape: the domain user with MongoDB's `_id`; its `outbox` is written in the same single insert. */
type UserDocument = Omit<User, 'id'> & { _id: string };

const duplicateKey = 11000;

export class MongoUsersRepository implements UsersRepository {
  private readonly users: Collection<UserDocument>;

  constructor(db: Db, collectionName = 'users') {
    this.users = db.collection<UserDocument>(collectionName);
  }

  async ensureIndexes(): Promise<void> {
    await this.users.createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
  }

  async insert(user: User): Promise<void> {
    const { id, ...rest } = user;
    try {
      await this.users.insertOne({ _id: id, ...rest });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === duplicateKey) throw new EmailTakenError();
      throw error;
    }
  }

  async findById(id: string): Promise<User | undefined> {
    return toUser(await this.users.findOne({ _id: id }));
  }

  async findByEmail(normalizedEmail: string): Promise<User | undefined> {
    return toUser(await this.users.findOne({ email: normalizedEmail }));
  }
}

function toUser(document: UserDocument | null): User | undefined {
  if (!document) return undefined;
  const { _id, email, name, roles, passwordHash, createdAt, outbox } = document;
  return { id: _id, email, name, roles, passwordHash, createdAt, outbox: outbox ?? [] };
}
