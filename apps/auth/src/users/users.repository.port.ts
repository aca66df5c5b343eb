import type { OutboxStore, StoredOutboxEvent } from '@platform/messaging';
import type { User } from '../domain/user';

export const USERS_REPOSITORY = Symbol('UsersRepository');

/** Users by id and by normalized email; the MongoDB and in-memory adapters pass one contract suite. */
export interface UsersRepository {
  ensureIndexes(): Promise<void>;
  /**
   * Stores the user with its events in one write and wakes the outbox relay; throws EmailTakenError
   * when the email exists, also under concurrency.
   */
  insert(user: User, events: readonly StoredOutboxEvent[]): Promise<void>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(normalizedEmail: string): Promise<User | undefined>;
  /** The events waiting in the users' documents, for the outbox relay. */
  readonly outbox: OutboxStore;
}
