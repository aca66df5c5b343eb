import { randomUUID } from 'node:crypto';
import { normalizeEmail } from '../domain/email';
import { publicProfileOf, registerUser, type Role } from '../domain/user';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { UsersRepository } from '../users/users.repository.port';
import { currentTraceparent } from './current-traceparent';

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
    const user = registerUser({
      id: randomUUID(),
      email: normalizeEmail(registration.email),
      name: registration.name,
      roles: registration.roles ?? ['customer'],
      passwordHash: await this.passwords.hash(registration.password),
      now: this.clock(),
      eventId: randomUUID(),
      traceparent: currentTraceparent(),
    });
    // The unique index decides, not a prior lookup: two parallel registrations get one 201 and one 409.
    await this.users.insert(user);
    return publicProfileOf(user);
  }
}
