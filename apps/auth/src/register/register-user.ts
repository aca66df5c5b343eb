import { randomUUID } from 'node:crypto';
import { UserRegistered } from '@platform/contracts';
import { currentTraceContext, newOutboxEvent } from '@platform/messaging';
import { normalizeEmail } from '../domain/email';
import { type Role, type User, publicProfileOf, userRegisteredOf } from '../domain/user';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { UsersRepository } from '../users/users.repository.port';

export interface Registration {
  email: string;
  password: string;
  name: string;
  roles?: Role[];
}

/** Creates an account and its `UserRegistered` event in one insert; a taken email throws EmailTakenError. */
export class RegisterUser {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async execute(registration: Registration) {
    const now = this.clock();
    const user: User = {
      id: randomUUID(),
      email: normalizeEmail(registration.email),
      name: registration.name,
      roles: registration.roles ?? ['customer'],
      passwordHash: await this.passwords.hash(registration.password),
      createdAt: now,
    };
    const registered = newOutboxEvent(UserRegistered.name, userRegisteredOf(user), {
      now,
      ...currentTraceContext(),
    });
    // The unique index decides, not a prior lookup: two parallel registrations get one 201 and one 409.
    await this.users.insert(user, [registered]);
    return publicProfileOf(user);
  }
}
