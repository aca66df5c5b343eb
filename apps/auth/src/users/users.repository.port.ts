import type { User } from '../domain/user';

export const USERS_REPOSITORY = Symbol('UsersRepository');

/** Users by id and by normalized email; the MongoDB and in-memory adapters pass one contract suite. */
export interface UsersRepository {
  ensureIndexes(): Promise<void>;
  /** Stores the user with its outbox in one write; throws EmailTakenError when the email exists, also under concurrency. */
  insert(user: User): Promise<void>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(normalizedEmail: string): Promise<User | undefined>;
}
